# NixOS module for an orch build agent.
#
#   imports = [ ./nix/build-agent.nix ];
#   services.build-agent = {
#     enable = true;
#     package = /opt/orch;                      # scripts/install.sh --prefix /opt/orch, or the jar itself
#     serverUrl = "10.0.0.5:5701";              # orch's build_pool.cluster_host:cluster_port (or join = [ ... ])
#     clusterSecretFile = "/etc/build-agent/cluster-secret";   # a copy of orch's .orch/cluster-secret (required)
#     maxJobs = 4;
#   };
#
# Secrets never enter the Nix store or the generated config: systemd hands them to the service as credentials
# (LoadCredential=), readable only by it, and the agent reads them from $CREDENTIALS_DIRECTORY.
{ config, lib, pkgs, ... }:

let
  cfg = config.services.build-agent;
  # The reference's form, ws://host:port/path: the agent joins orch's cluster on that host, and warns that it did.
  serverIsUrl = cfg.serverUrl != null && lib.hasInfix "://" cfg.serverUrl;
  members = lib.optional (cfg.serverUrl != null && !serverIsUrl) cfg.serverUrl ++ cfg.join;
  # Where systemd puts the service's credentials (its $CREDENTIALS_DIRECTORY).
  credentials = "/run/credentials/build-agent.service";
  jar = if lib.hasSuffix ".jar" (toString cfg.package) then cfg.package else "${cfg.package}/lib/orch/build-agent.jar";
  toml = pkgs.formats.toml { };
  configFile = toml.generate "build-agent.toml" ({
    server = {
      join = lib.concatStringsSep "," members;
      cluster_name = cfg.clusterName;
    } // lib.optionalAttrs serverIsUrl { url = cfg.serverUrl; };
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
  } // lib.optionalAttrs (cfg.tls != null) {
    tls = {
      key_store = cfg.tls.keyStore;
      trust_store = cfg.tls.trustStore;
    } // lib.optionalAttrs (cfg.tls.keyStorePasswordFile != null) {
      key_store_password_file = "${credentials}/tls-key-store-password";
    } // lib.optionalAttrs (cfg.tls.trustStorePasswordFile != null) {
      trust_store_password_file = "${credentials}/tls-trust-store-password";
    };
  });
in
{
  options.services.build-agent = {
    enable = lib.mkEnableOption "the orch build agent";
    package = lib.mkOption { type = lib.types.either lib.types.package lib.types.path;
      description = "build-agent.jar, or a folder (package) holding lib/orch/build-agent.jar as scripts/install.sh lays it out"; };
    serverUrl = lib.mkOption { type = lib.types.nullOr lib.types.str; default = null;
      description = "one orchestrator's cluster address, host:port (or the reference's ws://host:port/ws: its host at orch's cluster port); join lists more"; };
    java = lib.mkOption { type = lib.types.package; default = pkgs.jdk17_headless; };
    join = lib.mkOption { type = lib.types.listOf lib.types.str; default = [ ];
      description = "orchestrators' cluster addresses, host:port (one agent can serve several)"; };
    clusterName = lib.mkOption { type = lib.types.str; default = "orch"; };
    clusterSecretFile = lib.mkOption { type = lib.types.str;
      description = ''
        Absolute path, on the agent host, of a file holding the cluster secret (a copy of orch's .orch/cluster-secret).
        Required: the agent refuses to start without it. A string, not a Nix path, so it never enters the Nix store.
      ''; };
    id = lib.mkOption { type = lib.types.nullOr lib.types.str; default = null; };
    host = lib.mkOption { type = lib.types.str; default = "127.0.0.1"; };
    maxJobs = lib.mkOption { type = lib.types.ints.positive; default = 4; };
    gitCacheDir = lib.mkOption { type = lib.types.str; default = "/var/cache/build-agent/repos"; };
    worktreeDir = lib.mkOption { type = lib.types.str; default = "/var/lib/build-agent/jobs"; };
    prewarmPackages = lib.mkOption { type = lib.types.listOf lib.types.str; default = [ ]; };
    tls = lib.mkOption { default = null;
      description = "event-bus TLS with client certificates (PKCS#12); passwords as files on the host, passed as credentials";
      type = lib.types.nullOr (lib.types.submodule {
        options = {
          keyStore = lib.mkOption { type = lib.types.str; };
          trustStore = lib.mkOption { type = lib.types.str; };
          keyStorePasswordFile = lib.mkOption { type = lib.types.nullOr lib.types.str; default = null; };
          trustStorePasswordFile = lib.mkOption { type = lib.types.nullOr lib.types.str; default = null; };
        };
      }); };
  };

  config = lib.mkIf cfg.enable {
    assertions = [
      { assertion = members != [ ] || serverIsUrl; message = "services.build-agent: set serverUrl or join"; }
      { assertion = lib.hasPrefix "/" cfg.clusterSecretFile;
        message = "services.build-agent.clusterSecretFile must be an absolute path on the host"; }
    ];
    systemd.services.build-agent = {
      description = "orch build agent";
      wantedBy = [ "multi-user.target" ];
      after = [ "network-online.target" ];
      wants = [ "network-online.target" ];
      path = [ pkgs.git pkgs.nix pkgs.bash pkgs.coreutils ];
      script = ''
        exec ${cfg.java}/bin/java -XX:+UseSerialGC -jar ${jar} --config ${configFile} \
          --secret-file "$CREDENTIALS_DIRECTORY/cluster-secret"
      '';
      serviceConfig = {
        # A user made for the service and gone with it; the folders below are its own.
        DynamicUser = true;
        Restart = "always";
        RestartSec = 10;
        CacheDirectory = "build-agent";
        StateDirectory = "build-agent";
        RuntimeDirectory = "build-agent";
        RuntimeDirectoryMode = "0700";
        # Whatever the agent writes (checkouts, job output) is its own.
        UMask = "0077";
        LoadCredential = [ "cluster-secret:${cfg.clusterSecretFile}" ]
          ++ lib.optional (cfg.tls != null && cfg.tls.keyStorePasswordFile != null)
            "tls-key-store-password:${cfg.tls.keyStorePasswordFile}"
          ++ lib.optional (cfg.tls != null && cfg.tls.trustStorePasswordFile != null)
            "tls-trust-store-password:${cfg.tls.trustStorePasswordFile}";
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
