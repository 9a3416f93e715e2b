// Plain C++ and POSIX only: this file is linked into the `lockgraph` binary
// next to llvm::cl-based subcommands, so it parses its arguments by hand and
// declares no global options.
#include "RunCommand.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <limits.h>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <dirent.h>
#include <unistd.h>
#include <vector>

#ifndef LOCKGRAPH_LIBDIR_FROM_BINDIR
#define LOCKGRAPH_LIBDIR_FROM_BINDIR "../lib"
#endif

// How long threads must stay blocked in a cycle of lock waits before the
// watchdog reports them. Only a cycle is reported, so the timeout does not
// decide what is a deadlock; it keeps the watchdog's look at the threads
// rare and lets a very slow lock call finish.
#define LOCKGRAPH_RUN_DEADLOCK_TIMEOUT_MS "1000"

namespace lockgraph {

namespace {

const char kUsage[] =
    "USAGE: lockgraph run [options] [--] program [args...]\n"
    "\n"
    "Runs program with liblockgraph-preload.so, which checks every pthread mutex,\n"
    "rwlock and condition-variable wait (std::mutex and friends included) for\n"
    "lock-order inversions and lock misuse. Reports go to stderr; the exit status\n"
    "is the program's, or the --exitcode value when anything was reported.\n"
    "\n"
    "OPTIONS (each sets the LOCKGRAPH_OPTIONS entry in brackets):\n"
    "  --report-path=FILE        write a JSON report to FILE; %p is the pid [report_path]\n"
    "  --exitcode=N              exit status when something was reported, 0-255;\n"
    "                            default 66 [exitcode]\n"
    "  --halt-on-error           stop the program at the first report [halt_on_error=1]\n"
    "  --long-hold-ms=N          report critical sections longer than N ms [long_hold_ms]\n"
    "  --deadlock-timeout-ms=N   report threads blocked in a lock-wait cycle for N ms\n"
    "                            and end the program; 0 turns the watchdog off;\n"
    "                            default " LOCKGRAPH_RUN_DEADLOCK_TIMEOUT_MS " [deadlock_timeout_ms]\n"
    "  --no-exit-on-deadlock     after a deadlock report let the program wait on\n"
    "                            [exit_on_deadlock=0]\n"
    "  --stack-depth=N           frames kept per stack, 1-256; default 32 [stack_depth]\n"
    "  --stats                   print per-lock hold and wait statistics at exit [stats=1]\n"
    "  --report-graph            add every lock-order edge seen, with its stack, to the\n"
    "                            JSON report (for 'lockgraph merge') [report_graph=1]\n"
    "  --graph-dir=DIR           every process of the run (children too: a test\n"
    "                            driver's tests) writes its lock-order graph into\n"
    "                            DIR, a new or empty directory; at the end they are\n"
    "                            linked and lock-order cycles spanning processes\n"
    "                            are reported, with the command that made each\n"
    "                            order [graph_dir]\n"
    "  --baseline-graph=FILE     with --graph-dir: also link the orders of earlier\n"
    "                            runs kept in FILE (see --write-graph); a missing\n"
    "                            FILE is an empty graph\n"
    "  --write-graph=FILE        with --graph-dir: write the linked graph (this run's\n"
    "                            orders and the baseline's, with their age) to FILE\n"
    "  --max-graph-age=N         with --baseline-graph: forget orders no run has made\n"
    "                            for more than N runs (default 0: keep them all)\n"
    "  --no-symbolize            print raw addresses [symbolize=0]\n"
    "  --symbolizer=PATH         llvm-symbolizer or addr2line to use [symbolizer_path]\n"
    "  --preload=PATH            the preload library; default LOCKGRAPH_PRELOAD, else\n"
    "                            <dir of lockgraph>/" LOCKGRAPH_LIBDIR_FROM_BINDIR "/liblockgraph-preload.so\n"
    "  -h, --help                show this help\n";

struct Flag {
  const char* name;   // without the leading "--"
  const char* option; // LOCKGRAPH_OPTIONS name
  enum Kind { number, text, boolean } kind;
  unsigned long min, max;
};

const Flag kFlags[] = {
    {"report-path", "report_path", Flag::text, 0, 0},
    {"exitcode", "exitcode", Flag::number, 0, 255},
    {"halt-on-error", "halt_on_error", Flag::boolean, 0, 0},
    {"long-hold-ms", "long_hold_ms", Flag::number, 1, 1ul << 40},
    {"deadlock-timeout-ms", "deadlock_timeout_ms", Flag::number, 0, 1ul << 40},
    {"stack-depth", "stack_depth", Flag::number, 1, 256},
    {"stats", "stats", Flag::boolean, 0, 0},
    {"report-graph", "report_graph", Flag::boolean, 0, 0},
    {"graph-dir", "graph_dir", Flag::text, 0, 0},
    {"max-graph-age", "", Flag::number, 0, 1000000},
    {"symbolizer", "symbolizer_path", Flag::text, 0, 0},
};

int usageError(const std::string& message) {
  std::fprintf(stderr, "lockgraph run: %s\n(see 'lockgraph run --help')\n", message.c_str());
  return 2;
}

bool parseNumber(const std::string& text, unsigned long min, unsigned long max) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos || text.size() > 15)
    return false;
  unsigned long v = std::strtoul(text.c_str(), nullptr, 10);
  return v >= min && v <= max;
}

std::string executableDirectory() {
  char path[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);
  if (n <= 0)
    return ".";
  path[n] = '\0';
  std::string s(path);
  auto slash = s.rfind('/');
  return slash == std::string::npos ? "." : s.substr(0, slash);
}

// The library sits in the installed layout's library directory, relative to
// the binary's (LOCKGRAPH_LIBDIR_FROM_BINDIR, "../lib" unless the install
// uses a multiarch libdir), or in the build tree's lib/ next to bin/.
std::string defaultPreload() {
  if (const char* env = std::getenv("LOCKGRAPH_PRELOAD"); env && *env)
    return env;
  const std::string bin = executableDirectory();
  const std::string installed = bin + "/" LOCKGRAPH_LIBDIR_FROM_BINDIR "/liblockgraph-preload.so";
  const std::string buildTree = bin + "/../lib/liblockgraph-preload.so";
  if (access(installed.c_str(), R_OK) != 0 && access(buildTree.c_str(), R_OK) == 0)
    return buildTree;
  return installed;
}

volatile sig_atomic_t childPid = 0;

// A termination signal sent to the launcher (by kill, a CI runner's
// timeout, a service manager) is meant for the program: pass it on, and go
// on waiting to report how the program ended. The terminal's ^C and hangup
// (si_code SI_KERNEL) already reached the program, which is in the same
// process group; those are not sent twice.
// One that arrives before the child's pid is known is sent once it is.
volatile sig_atomic_t pendingSignal = 0;

void forwardToChild(int signal, siginfo_t* info, void*) {
  if (info != nullptr && info->si_code == SI_KERNEL)
    return;
  if (childPid > 0)
    kill(childPid, signal);
  else
    pendingSignal = signal;
}

const int kForwardedSignals[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT};
struct sigaction previousActions[std::size(kForwardedSignals)];

// Before fork(), so that no signal is lost in between. The child's exec
// resets caught signals to their defaults.
void startForwardingSignals() {
  struct sigaction forward {};
  forward.sa_sigaction = forwardToChild;
  forward.sa_flags = SA_SIGINFO | SA_RESTART;
  sigemptyset(&forward.sa_mask);
  for (std::size_t k = 0; k < std::size(kForwardedSignals); ++k)
    sigaction(kForwardedSignals[k], &forward, &previousActions[k]);
}

void stopForwardingSignals() {
  for (std::size_t k = 0; k < std::size(kForwardedSignals); ++k)
    sigaction(kForwardedSignals[k], &previousActions[k], nullptr);
  childPid = 0;
}

int waitForChild(pid_t pid) {
  childPid = pid;
  if (pendingSignal)
    kill(pid, pendingSignal);
  int status = 0;
  pid_t r;
  do {
    r = waitpid(pid, &status, 0);
  } while (r < 0 && errno == EINTR);
  stopForwardingSignals();
  if (r < 0) {
    std::fprintf(stderr, "lockgraph run: waitpid failed: %s\n", std::strerror(errno));
    return 127;
  }
  if (WIFEXITED(status))
    return WEXITSTATUS(status);
  if (WIFSIGNALED(status))
    return 128 + WTERMSIG(status);
  return 127;
}

// --graph-dir: created when missing, made absolute (the program's children
// may run in other directories), and refused when it already holds files,
// which would be linked as this run's.
bool prepareGraphDirectory(std::string& dir) {
  std::string path;
  for (std::size_t at = 0; at != std::string::npos;) {
    at = dir.find('/', at + 1);
    path = dir.substr(0, at);
    if (mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) {
      std::fprintf(stderr, "lockgraph run: cannot create --graph-dir '%s': %s\n", path.c_str(),
                   std::strerror(errno));
      return false;
    }
  }
  char resolved[PATH_MAX];
  if (realpath(dir.c_str(), resolved) == nullptr) {
    std::fprintf(stderr, "lockgraph run: --graph-dir '%s': %s\n", dir.c_str(), std::strerror(errno));
    return false;
  }
  dir = resolved;
  DIR* listing = opendir(resolved);
  if (listing == nullptr) {
    std::fprintf(stderr, "lockgraph run: cannot list --graph-dir '%s': %s\n", resolved, std::strerror(errno));
    return false;
  }
  bool empty = true;
  while (dirent* entry = readdir(listing))
    empty &= entry->d_name[0] == '.';
  closedir(listing);
  if (!empty)
    std::fprintf(stderr,
                 "lockgraph run: --graph-dir '%s' is not empty; give a new or empty directory (its files "
                 "would be linked as this run's; earlier runs belong in --baseline-graph)\n",
                 resolved);
  return empty;
}

// The findings status the processes use: the last exitcode= of the
// options they got (inherited, then the flags), else the runtime's 66.
int findingsExitCode(const std::string& options) {
  int code = 66;
  for (std::size_t at = options.find("exitcode="); at != std::string::npos;
       at = options.find("exitcode=", at + 1))
    if (at == 0 || std::strchr(": \t\n,", options[at - 1]))
      code = std::atoi(options.c_str() + at + 9);
  return code;
}

} // namespace

int runMain(int argc, const char* const* argv, GraphDirectoryLinker linker) {
  std::string options;
  std::string preload;
  GraphDirectoryLink link;
  int i = 1;
  for (; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") {
      ++i;
      break;
    }
    if (arg == "-h" || arg == "--help" || arg == "-help") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (arg.size() < 2 || arg[0] != '-')
      break; // the program
    if (arg.compare(0, 2, "--") != 0)
      return usageError("unknown option '" + arg + "'");
    std::string name = arg.substr(2), value;
    bool hasValue = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      hasValue = true;
    }
    if (name == "no-symbolize" && !hasValue) {
      options += ":symbolize=0";
      continue;
    }
    if (name == "no-exit-on-deadlock" && !hasValue) {
      options += ":exit_on_deadlock=0";
      continue;
    }
    if (name == "preload" || name == "baseline-graph" || name == "write-graph") {
      if (!hasValue) {
        if (i + 1 >= argc)
          return usageError("--" + name + " needs a value");
        value = argv[++i];
      }
      (name == "preload" ? preload : name == "baseline-graph" ? link.baselineGraph : link.writeGraph) = value;
      continue;
    }
    const Flag* flag = nullptr;
    for (const Flag& f : kFlags)
      if (name == f.name)
        flag = &f;
    if (flag == nullptr)
      return usageError("unknown option '--" + name + "'");
    if (flag->kind == Flag::boolean) {
      if (hasValue)
        return usageError("--" + name + " takes no value");
      options += std::string(":") + flag->option + "=1";
      continue;
    }
    if (!hasValue) {
      if (i + 1 >= argc)
        return usageError("--" + name + " needs a value");
      value = argv[++i];
    }
    if (flag->kind == Flag::number && !parseNumber(value, flag->min, flag->max))
      return usageError("--" + name + " needs a number from " + std::to_string(flag->min) + " to " +
                        std::to_string(flag->max) + ", got '" + value + "'");
    if (value.empty() || value.find_first_of(": \t\n,") != std::string::npos)
      return usageError("--" + name + " value must be non-empty and contain no ':', ',' or spaces");
    if (name == "graph-dir") {
      link.directory = value;
      continue; // passed on once absolute
    }
    if (name == "max-graph-age") {
      link.maxGraphAge = static_cast<unsigned>(std::strtoul(value.c_str(), nullptr, 10));
      continue; // the linker's, not the runtime's
    }
    options += std::string(":") + flag->option + "=" + value;
  }
  if (i >= argc)
    return usageError("no program to run");
  if (link.directory.empty() && !(link.baselineGraph.empty() && link.writeGraph.empty() && link.maxGraphAge == 0))
    return usageError("--baseline-graph, --write-graph and --max-graph-age need --graph-dir");
  if (linker == nullptr && !(link.baselineGraph.empty() && link.writeGraph.empty() && link.maxGraphAge == 0))
    return usageError("--baseline-graph, --write-graph and --max-graph-age need 'lockgraph run' (this launcher "
                      "only collects the graphs of --graph-dir)");
  if (!link.directory.empty()) {
    if (!prepareGraphDirectory(link.directory))
      return 2;
    if (link.directory.find_first_of(": \t\n,") != std::string::npos)
      return usageError("the --graph-dir path must contain no ':', ',' or spaces");
    options += ":graph_dir=" + link.directory;
  }

  if (preload.empty())
    preload = defaultPreload();
  if (access(preload.c_str(), R_OK) != 0)
    return std::fprintf(stderr,
                        "lockgraph run: cannot find the preload library at '%s' (set "
                        "LOCKGRAPH_PRELOAD or pass --preload)\n",
                        preload.c_str()),
           127;

  // The launcher's defaults first, then the inherited options, then the
  // flags, so that each wins over the one before. The watchdog is on: a
  // program that deadlocks must end with a report, not hang a CI job.
  std::string merged = "deadlock_timeout_ms=" LOCKGRAPH_RUN_DEADLOCK_TIMEOUT_MS;
  if (const char* inherited = std::getenv("LOCKGRAPH_OPTIONS"); inherited && *inherited)
    merged += std::string(":") + inherited;
  merged += options;
  std::string ldPreload = preload;
  if (const char* existing = std::getenv("LD_PRELOAD"); existing && *existing)
    ldPreload += std::string(":") + existing;

  std::vector<char*> childArgv;
  for (int k = i; k < argc; ++k)
    childArgv.push_back(const_cast<char*>(argv[k]));
  childArgv.push_back(nullptr);

  std::fflush(nullptr);
  startForwardingSignals();
  pid_t pid = fork();
  if (pid < 0) {
    stopForwardingSignals();
    std::fprintf(stderr, "lockgraph run: fork failed: %s\n", std::strerror(errno));
    return 127;
  }
  if (pid == 0) {
    stopForwardingSignals();
    setenv("LOCKGRAPH_OPTIONS", merged.c_str(), 1);
    setenv("LD_PRELOAD", ldPreload.c_str(), 1);
    execvp(childArgv[0], childArgv.data());
    std::fprintf(stderr, "lockgraph run: cannot execute '%s': %s\n", childArgv[0], std::strerror(errno));
    _exit(127);
  }
  int status = waitForChild(pid);
  if (link.directory.empty())
    return status;
  if (linker == nullptr) {
    std::fprintf(stderr, "lockgraph run: the lock-order graphs are in %s; link them with 'lockgraph merge %s'\n",
                 link.directory.c_str(), link.directory.c_str());
    return status;
  }
  int linked = linker(link);
  if (linked == 2)
    return 2;
  int exitCode = findingsExitCode(merged);
  return linked == 1 && exitCode != 0 ? exitCode : status;
}

} // namespace lockgraph
