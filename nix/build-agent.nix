# NixOS module for an orch build agent.
#
#   imports = [ ./nix/build-agent.nix ];
#   services.build-agent = {
#     enable = true;
#     package = /opt/orch;                      # scripts/install.sh --prefix /opt/orch, or the jar itself
#     serverUrl = "10.0.0.5:5701";              # orch's build_pool.cluster_host:cluster_port (or join = [ ... ])
#     maxJobs = 4;
#   };
{ config, lib, pkgs, ... }:

let
  cfg = config.services.build-agent;
  members = lib.optional (cfg.serverUrl != null) cfg.serverUrl ++ cfg.join;
  jar = if lib.hasSuffix ".jar" (toString cfg.package) then cfg.package else "${cfg.package}/lib/orch/build-agent.jar";
  toml = pkgs.formats.toml { };
  configFile = toml.generate "build-agent.toml" ({
    server = {
      join = lib.concatStringsSep "," members;
      cluster_name = cfg.clusterName;
    };
    worker = {
      max_jobs = cfg.maxJobs;
      host = cfg.host;
    } // lib.optionalAttrs (cfg.id != null) { id = cfg.id; };
    storage = {
      git_cache_dir = cfg.gitCacheDir;
      worktree_dir = cfg.worktreeDir;
    };
    nix = {
      enabled = true;
      prewarm_packages = cfg.prewarmPackages;
    };
  } // lib.optionalAttrs (cfg.tls != null) { tls = cfg.tls; });
in
{
  options.services.build-agent = {
    enable = lib.mkEnableOption "the orch build agent";
    package = lib.mkOption { type = lib.types.either lib.types.package lib.types.path;
      description = "build-agent.jar, or a folder (package) holding lib/orch/build-agent.jar as scripts/install.sh lays it out"; };
    serverUrl = lib.mkOption { type = lib.types.nullOr lib.types.str; default = null;
      description = "one orchestrator's cluster address, host:port; join lists more"; };
    java = lib.mkOption { type = lib.types.package; default = pkgs.jdk17_headless; };
    join = lib.mkOption { type = lib.types.listOf lib.types.str; default = [ ];
      description = "orchestrators' cluster addresses, host:port (one agent can serve several)"; };
    clusterName = lib.mkOption { type = lib.types.str; default = "orch"; };
    clusterSecretFile = lib.mkOption { type = lib.types.nullOr lib.types.path; default = null;
      description = "a file whose content is the cluster secret (kept out of the nix store)"; };
    id = lib.mkOption { type = lib.types.nullOr lib.types.str; default = null; };
    host = lib.mkOption { type = lib.types.str; default = "127.0.0.1"; };
    maxJobs = lib.mkOption { type = lib.types.ints.positive; default = 4; };
    gitCacheDir = lib.mkOption { type = lib.types.str; default = "/var/cache/build-agent/repos"; };
    worktreeDir = lib.mkOption { type = lib.types.str; default = "/var/lib/build-agent/jobs"; };
    prewarmPackages = lib.mkOption { type = lib.types.listOf lib.types.str; default = [ ]; };
    tls = lib.mkOption { type = lib.types.nullOr (lib.types.attrsOf lib.types.str); default = null;
      description = "key_store, key_store_password, trust_store, trust_store_password"; };
  };

  config = lib.mkIf cfg.enable {
    assertions = [{ assertion = members != [ ]; message = "services.build-agent: set serverUrl or join"; }];
    systemd.services.build-agent = {
      description = "orch build agent";
      wantedBy = [ "multi-user.target" ];
      after = [ "network-online.target" ];
      wants = [ "network-online.target" ];
      path = [ pkgs.git pkgs.nix pkgs.bash pkgs.coreutils ];
      script = ''
        config=${configFile}
        ${lib.optionalString (cfg.clusterSecretFile != null) ''
          config=$RUNTIME_DIRECTORY/build-agent.toml
          sed "s|^\[server\]|[server]\ncluster_secret = \"$(cat ${cfg.clusterSecretFile})\"|" ${configFile} > "$config"
        ''}
        exec ${cfg.java}/bin/java -XX:+UseSerialGC -jar ${jar} --config "$config"
      '';
      serviceConfig = {
        # A user made for the service and gone with it; the folders below are its own.
        DynamicUser = true;
        Restart = "always";
        RestartSec = 10;
        CacheDirectory = "build-agent";
        StateDirectory = "build-agent";
        RuntimeDirectory = "build-agent";
        NoNewPrivileges = true;
        ProtectSystem = "strict";
        ProtectHome = true;
        PrivateTmp = true;
        PrivateDevices = true;
        ProtectKernelTunables = true;
        ProtectKernelModules = true;
        ProtectControlGroups = true;
        RestrictSUIDSGID = true;
        LockPersonality = true;
        ReadWritePaths = [ cfg.gitCacheDir cfg.worktreeDir ];
      };
    };
  };
}
