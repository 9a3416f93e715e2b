# lit configuration for lockgraph's checker and command-line tests.
import os
import lit.formats

config.name = "lockgraph"
config.test_format = lit.formats.ShTest(execute_external=True)
config.suffixes = [".cpp", ".test"]
config.test_source_root = os.path.dirname(__file__)
# Sources analysed by other tests (the example service, runtime programs,
# multi-file inputs) are not tests themselves.
config.excludes = ["service", "runtime", "ci-sample", "Inputs", "lit.cfg.py"]

if not hasattr(config, "lockgraph_bin"):
    site = os.environ.get("LOCKGRAPH_LIT_SITE_CONFIG")
    default_site = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "build", "testdata", "lit.site.cfg.py")
    if not site and os.path.exists(default_site):
        site = default_site
    if not site:
        lit_config.fatal("run through CTest, or set LOCKGRAPH_LIT_SITE_CONFIG to the build's lit.site.cfg.py")
    lit_config.load_config(config, site)

config.test_exec_root = os.path.join(config.lockgraph_obj_root, "testdata")
config.environment["PATH"] = os.pathsep.join(
    [config.lockgraph_bin, config.llvm_tools_dir, config.environment.get("PATH", os.environ["PATH"])])

config.substitutions.append(("%lockgraph", os.path.join(config.lockgraph_bin, "lockgraph")))
config.substitutions.append(("%plugin", os.path.join(config.lockgraph_lib, "libLockgraphTidyPlugin.so")))
config.substitutions.append(("%clang-tidy", "clang-tidy-19"))
config.substitutions.append(("%std", "-std=c++20"))

# Microsoft's SARIF validator, installed by scripts/install-sarif-validator.sh.
sarif_multitool = os.environ.get("LOCKGRAPH_SARIF_MULTITOOL",
                                 "/work/.cache/npm-sarif/node_modules/.bin/sarif-multitool")
if os.access(sarif_multitool, os.X_OK):
    config.available_features.add("sarif-multitool")
    config.substitutions.append(("%sarif-multitool", sarif_multitool))

# Under scripts/sanitizer-test.sh the ASan runtime is preloaded; tests that
# cap the address space cannot run (ASan reserves terabytes of shadow).
if "libasan" in os.environ.get("LD_PRELOAD", ""):
    config.available_features.add("asan")

# /dev/full: standard output on a full disk.
if os.path.exists("/dev/full"):
    config.available_features.add("dev-full")

# Tests that run programs under the runtime (`lockgraph run`) need the
# preload library, built unless LOCKGRAPH_BUILD_RUNTIME=OFF.
if os.path.exists(os.path.join(config.lockgraph_lib, "liblockgraph-preload.so")):
    config.available_features.add("lockgraph-runtime")
# Compiling and linking a program with the linked runtime (lockgraph::mutex).
config.substitutions.append(("%runtime-include", os.path.join(config.lockgraph_src_root, "runtime", "include")))
config.substitutions.append(("%runtime-lib", os.path.join(config.lockgraph_lib, "liblockgraph-runtime.a")))
