package dev.orch;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Verticles talk only over the bus: no verticle package may import another. Only the contract and the shared
 * plumbing (config, db, flow, footprint, git, process, cluster, text, logging) are imported across concerns.
 */
@AnalyzeClasses(packages = "dev.orch", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule verticlePackagesDoNotImportEachOther = slices()
      .matching("dev.orch.(*)..")
      .that(com.tngtech.archunit.base.DescribedPredicate.describe("a verticle package",
          slice -> !java.util.Set.of("contract", "config", "db", "flow", "footprint", "git", "process", "cluster", "text",
              "logging").contains(slice.getNamePart(1))))
      .should().notDependOnEachOther();

  @ArchTest
  static final ArchRule contractDependsOnNoVerticle = com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses()
      .that().resideInAPackage("dev.orch.contract..")
      .should().dependOnClassesThat().resideInAnyPackage("dev.orch.parser..", "dev.orch.scheduler..", "dev.orch.config..",
          "dev.orch.db..");
}
