#include "symbolizer.h"

#include "arena.h"
#include "flat_map.h"
#include "options.h"
#include "os.h"

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <fcntl.h>
#include <link.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace lockgraph::rt {

namespace {

// One pc's answer: a run of SourceFrames (more than one when inlined).
struct CachedPc {
  SourceFrame* frames;
  std::uint32_t count;
};

std::atomic<std::uint32_t> processesStarted{0};
FlatMap pcCache;   // pc -> CachedPc*
FlatMap dataCache; // address -> DataLocation*

struct Location {
  const char* module;
  std::uintptr_t offset;
};

bool locateAddress(const void* inside, Location* out) {
  Dl_info info;
  link_map* map = nullptr;
  if (!dladdr1(inside, &info, reinterpret_cast<void**>(&map), RTLD_DL_LINKMAP) || map == nullptr)
    return false;
  static char exePath[512];
  const char* module = map->l_name;
  if (module == nullptr || module[0] == '\0') {
    if (exePath[0] == '\0') {
      ssize_t n = readlink("/proc/self/exe", exePath, sizeof(exePath) - 1);
      if (n <= 0)
        return false;
      exePath[n] = '\0';
    }
    module = exePath;
  }
  out->module = module;
  out->offset = reinterpret_cast<std::uintptr_t>(inside) - map->l_addr;
  return true;
}

// Return addresses point after the call; pc - 1 lies inside the call.
bool locate(const void* pc, Location* out) { return locateAddress(static_cast<const char*>(pc) - 1, out); }

const char* findSymbolizer() {
  const char* configured = options().symbolizerPath;
  if (configured[0] != '\0')
    return configured;
  static const char* const candidates[] = {
      "/usr/bin/llvm-symbolizer-19", "/usr/lib/llvm-19/bin/llvm-symbolizer",
      "/usr/bin/llvm-symbolizer", "/usr/bin/addr2line"};
  for (const char* c : candidates)
    if (access(c, X_OK) == 0)
      return c;
  return nullptr;
}

bool isAddr2line(const char* path) { return std::strstr(path, "addr2line") != nullptr; }

// Output of one child process, in mmap'd memory.
struct Output {
  char* data = nullptr;
  std::size_t size = 0;
  std::size_t capacity = 0;
  void append(const char* bytes, std::size_t n) {
    if (size + n + 1 > capacity) {
      std::size_t next = capacity ? capacity * 2 : 1 << 16;
      while (next < size + n + 1)
        next *= 2;
      char* bigger = static_cast<char*>(mapPages(next));
      if (data) {
        std::memcpy(bigger, data, size);
        unmapPages(data, capacity);
      }
      data = bigger;
      capacity = next;
    }
    std::memcpy(data + size, bytes, n);
    size += n;
    data[size] = '\0';
  }
  ~Output() {
    if (data)
      unmapPages(data, capacity);
  }
};

// The symbolizer must not run under this runtime itself.
char** childEnvironment() {
  std::size_t n = 0;
  while (environ && environ[n])
    ++n;
  auto** env = static_cast<char**>(globalArena().allocate(sizeof(char*) * (n + 1)));
  std::size_t kept = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (std::strncmp(environ[i], "LD_PRELOAD=", 11) && std::strncmp(environ[i], "LOCKGRAPH_OPTIONS=", 18))
      env[kept++] = environ[i];
  env[kept] = nullptr;
  return env;
}

// Starts argv[0] with its stdout on \p out, its stdin on \p in (or
// /dev/null when \p in is -1) and its stderr on /dev/null; vfork, so the
// child costs no copy of a large program. The child's pid, or -1.
pid_t spawnTool(const char* const* argv, int in, int out) {
  char** env = childEnvironment();
  processesStarted.fetch_add(1, std::memory_order_relaxed);
  pid_t pid = vfork();
  if (pid == 0) {
    int devnull = open("/dev/null", O_RDWR);
    dup2(out, 1);
    if (in >= 0)
      dup2(in, 0);
    if (devnull >= 0) {
      if (in < 0)
        dup2(devnull, 0);
      dup2(devnull, 2);
    }
    execve(argv[0], const_cast<char* const*>(argv), env);
    _exit(127);
  }
  return pid;
}

bool runChild(const char* const* argv, Output* out) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0)
    return false;
  pid_t pid = spawnTool(argv, -1, fds[1]);
  close(fds[1]);
  if (pid < 0) {
    close(fds[0]);
    return false;
  }
  char buffer[4096];
  for (;;) {
    ssize_t n = read(fds[0], buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    out->append(buffer, static_cast<std::size_t>(n));
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// One llvm-symbolizer for the whole run, fed queries on its stdin ("CODE
// module 0xoffset", "DATA ..."), each answer ending with an empty line:
// printing a report or a graph of thousands of edges starts no process per
// stack. A socket rather than pipes: a symbolizer that died must not kill
// the program with SIGPIPE (send(MSG_NOSIGNAL)). Forgotten in a forked
// child, which starts its own. Serialized like the rest of this file.
struct Session {
  int fd = -1;
  bool failed = false; // could not start, or died: fall back to a process per batch
};
Session session;

bool startSession(const char* tool) {
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    return false;
  const char* argv[] = {tool, "--demangle", "--inlining", nullptr};
  pid_t pid = spawnTool(argv, fds[1], fds[1]);
  close(fds[1]);
  if (pid < 0) {
    close(fds[0]);
    return false;
  }
  session.fd = fds[0];
  return true;
}

void endSession() {
  if (session.fd >= 0)
    close(session.fd);
  session.fd = -1;
  session.failed = true;
}

// Sends `queries` (`count` lines) and reads the `count` answers into `out`.
bool askSession(const char* tool, const char* queries, std::size_t size, std::uint32_t count,
                Output* out) {
  if (session.failed || (session.fd < 0 && !startSession(tool))) {
    session.failed = true;
    return false;
  }
  for (std::size_t sent = 0; sent < size;) {
    ssize_t n = send(session.fd, queries + sent, size - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      endSession();
      return false;
    }
    sent += static_cast<std::size_t>(n);
  }
  std::uint32_t answered = 0;
  bool lineStart = true;
  char buffer[4096];
  while (answered < count) {
    ssize_t n = read(session.fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      endSession();
      return false;
    }
    for (ssize_t i = 0; i < n; ++i) {
      if (buffer[i] == '\n') {
        answered += lineStart; // an empty line ends an answer
        lineStart = true;
      } else {
        lineStart = false;
      }
    }
    out->append(buffer, static_cast<std::size_t>(n));
  }
  return true;
}

// What one query of `kind` ("CODE" or "DATA") about `module` looks like.
void appendQuery(Output* queries, const char* kind, const char* module, std::uintptr_t offset) {
  char line[700];
  int n = std::snprintf(line, sizeof(line), "%s \"%s\" 0x%lx\n", kind, module,
                        static_cast<unsigned long>(offset));
  if (n > 0 && static_cast<std::size_t>(n) < sizeof(line))
    queries->append(line, static_cast<std::size_t>(n));
}

char* nextLine(char** cursor) {
  char* line = *cursor;
  if (*line == '\0')
    return nullptr;
  char* end = std::strchr(line, '\n');
  if (end) {
    *end = '\0';
    *cursor = end + 1;
  } else {
    *cursor = line + std::strlen(line);
  }
  return line;
}

// "file:line:column", "file:line" or "file:line (discriminator n)".
void parseFileLine(const char* text, SourceFrame* frame) {
  char copy[1024];
  std::snprintf(copy, sizeof(copy), "%s", text);
  if (char* space = std::strchr(copy, ' '))
    *space = '\0';
  int numbers[2] = {0, 0};
  int found = 0;
  for (int i = 0; i < 2; ++i) {
    char* colon = std::strrchr(copy, ':');
    if (!colon)
      break;
    char* end = nullptr;
    long v = std::strtol(colon + 1, &end, 10);
    if (end == colon + 1 || *end != '\0')
      break;
    numbers[found++] = static_cast<int>(v);
    *colon = '\0';
  }
  if (found == 0 || copy[0] == '?' || numbers[found - 1] == 0)
    return;
  frame->file = globalArena().copyString(copy);
  frame->line = numbers[found - 1];
  frame->column = found == 2 ? numbers[0] : 0;
}

void addFrame(SourceFrame* frames, std::uint32_t* count, std::uint32_t capacity, const void* pc,
              const char* module, const char* function, const char* fileLine) {
  if (*count >= capacity)
    return;
  SourceFrame& f = frames[*count];
  f = SourceFrame{};
  f.pc = pc;
  f.module = module;
  f.inlined = *count > 0;
  if (function && std::strcmp(function, "??") != 0)
    f.function = globalArena().copyString(function);
  if (fileLine)
    parseFileLine(fileLine, &f);
  ++*count;
}

// Symbolizes every pending pc of one module with a single child process.
void symbolizeModule(const char* tool, const char* module, const void* const* pcs,
                     const std::uintptr_t* offsets, std::uint32_t n, CachedPc** results) {
  constexpr std::uint32_t kMaxInline = 8;
  const char* argv[16 + 256];
  char addresses[256][24];
  char objArg[600];
  std::uint32_t a = 0;
  argv[a++] = tool;
  if (isAddr2line(tool)) {
    argv[a++] = "-a";
    argv[a++] = "-f";
    argv[a++] = "-C";
    argv[a++] = "-i";
    argv[a++] = "-e";
    argv[a++] = module;
  } else {
    std::snprintf(objArg, sizeof(objArg), "--obj=%s", module);
    argv[a++] = objArg;
    argv[a++] = "--demangle";
    argv[a++] = "--inlining";
  }
  for (std::uint32_t i = 0; i < n; ++i) {
    std::snprintf(addresses[i], sizeof(addresses[i]), "0x%lx", static_cast<unsigned long>(offsets[i]));
    argv[a++] = addresses[i];
  }
  argv[a] = nullptr;
  Output out;
  bool ok = false;
  if (!isAddr2line(tool)) {
    Output queries;
    for (std::uint32_t i = 0; i < n; ++i)
      appendQuery(&queries, "CODE", module, offsets[i]);
    ok = queries.data && askSession(tool, queries.data, queries.size, n, &out);
  }
  if (!ok) {
    out.size = 0;
    ok = runChild(argv, &out);
  }
  ok = ok && out.data != nullptr;
  char* cursor = ok ? out.data : nullptr;
  for (std::uint32_t i = 0; i < n; ++i) {
    auto* frames = static_cast<SourceFrame*>(globalArena().allocate(sizeof(SourceFrame) * kMaxInline));
    std::uint32_t count = 0;
    if (cursor && isAddr2line(tool)) {
      nextLine(&cursor); // the "0x..." address line
      while (*cursor && std::strncmp(cursor, "0x", 2) != 0) {
        char* function = nextLine(&cursor);
        char* fileLine = nextLine(&cursor);
        addFrame(frames, &count, kMaxInline, pcs[i], module, function, fileLine);
      }
    } else if (cursor) {
      while (char* function = nextLine(&cursor)) {
        if (*function == '\0')
          break; // blank line ends this address
        char* fileLine = nextLine(&cursor);
        addFrame(frames, &count, kMaxInline, pcs[i], module, function, fileLine);
      }
    }
    if (count == 0)
      addFrame(frames, &count, kMaxInline, pcs[i], module, nullptr, nullptr);
    // The symbolizer lists the innermost inlined call first; that is the
    // frame the return address belongs to, the rest were inlined into it.
    auto* cached = static_cast<CachedPc*>(globalArena().allocate(sizeof(CachedPc)));
    *cached = CachedPc{frames, count};
    results[i] = cached;
  }
}

} // namespace

std::uint32_t symbolize(const void* const* pcs, std::uint32_t count, SourceFrame* out,
                        std::uint32_t capacity) {
  constexpr std::uint32_t kBatch = 256;
  const char* tool = options().symbolize ? findSymbolizer() : nullptr;
  CachedPc* answers[kBatch];
  std::uint32_t written = 0;
  for (std::uint32_t base = 0; base < count; base += kBatch) {
    std::uint32_t n = count - base < kBatch ? count - base : kBatch;
    Location where[kBatch];
    bool located[kBatch];
    for (std::uint32_t i = 0; i < n; ++i) {
      const void* pc = pcs[base + i];
      std::uint64_t* hit = pcCache.find(reinterpret_cast<std::uintptr_t>(pc));
      answers[i] = hit ? reinterpret_cast<CachedPc*>(*hit) : nullptr;
      located[i] = !answers[i] && locate(pc, &where[i]);
    }
    // One child per module that still has unanswered pcs.
    for (std::uint32_t i = 0; i < n; ++i) {
      if (answers[i] || !located[i] || tool == nullptr)
        continue;
      const void* modulePcs[kBatch];
      std::uintptr_t offsets[kBatch];
      std::uint32_t members[kBatch];
      std::uint32_t m = 0;
      for (std::uint32_t j = i; j < n; ++j)
        if (!answers[j] && located[j] && std::strcmp(where[j].module, where[i].module) == 0) {
          modulePcs[m] = pcs[base + j];
          offsets[m] = where[j].offset;
          members[m++] = j;
        }
      CachedPc* results[kBatch];
      symbolizeModule(tool, where[i].module, modulePcs, offsets, m, results);
      for (std::uint32_t k = 0; k < m; ++k)
        answers[members[k]] = results[k];
    }
    for (std::uint32_t i = 0; i < n; ++i) {
      const void* pc = pcs[base + i];
      if (!answers[i]) {
        auto* frame = static_cast<SourceFrame*>(globalArena().allocate(sizeof(SourceFrame)));
        *frame = SourceFrame{};
        frame->pc = pc;
        frame->module = located[i] ? where[i].module : nullptr;
        answers[i] = static_cast<CachedPc*>(globalArena().allocate(sizeof(CachedPc)));
        *answers[i] = CachedPc{frame, 1};
        // Unsymbolized answers are not cached: symbolize=0 may be switched
        // off later by tests, and the lookup is cheap anyway.
      } else {
        pcCache.insert(reinterpret_cast<std::uintptr_t>(pc), reinterpret_cast<std::uintptr_t>(answers[i]), nullptr);
      }
      for (std::uint32_t k = 0; k < answers[i]->count && written < capacity; ++k)
        out[written++] = answers[i]->frames[k];
    }
  }
  return written;
}

DataLocation locateData(const void* address) {
  auto key = reinterpret_cast<std::uintptr_t>(address);
  if (std::uint64_t* hit = dataCache.find(key))
    return *reinterpret_cast<const DataLocation*>(*hit);
  DataLocation found;
  const char* tool = options().symbolize ? findSymbolizer() : nullptr;
  Location where;
  if (locateAddress(address, &where)) {
    found.module = where.module;
    found.moduleOffset = where.offset;
  }
  // Only llvm-symbolizer answers data queries; the name must also really
  // cover the address (a query past every symbol answers with the nearest).
  if (tool && !isAddr2line(tool) && found.module) {
    char objArg[600], query[48];
    std::snprintf(objArg, sizeof(objArg), "--obj=%s", where.module);
    std::snprintf(query, sizeof(query), "DATA 0x%lx", static_cast<unsigned long>(where.offset));
    const char* argv[] = {tool, objArg, query, nullptr};
    Output out, queries;
    appendQuery(&queries, "DATA", where.module, where.offset);
    bool ok = queries.data && askSession(tool, queries.data, queries.size, 1, &out);
    if (!ok) {
      out.size = 0;
      ok = runChild(argv, &out);
    }
    if (ok && out.data) {
      char* cursor = out.data;
      char* symbol = nextLine(&cursor);
      char* range = nextLine(&cursor);
      unsigned long start = 0, size = 0;
      if (symbol && range && std::strcmp(symbol, "??") != 0 &&
          std::sscanf(range, "%lu %lu", &start, &size) == 2 && where.offset >= start &&
          where.offset < start + size) {
        found.symbol = globalArena().copyString(symbol);
        found.symbolOffset = where.offset - start;
      }
    }
  }
  auto* kept = static_cast<DataLocation*>(globalArena().allocate(sizeof(DataLocation)));
  *kept = found;
  dataCache.insert(key, reinterpret_cast<std::uintptr_t>(kept), nullptr);
  return found;
}

const char* symbolizeData(const void* address) { return locateData(address).symbol; }

std::uint32_t symbolizerProcessesStarted() {
  return processesStarted.load(std::memory_order_relaxed);
}

void resetSymbolizerAfterFork() {
  // The parent's symbolizer answers the parent; this process starts its own.
  if (session.fd >= 0)
    close(session.fd);
  session = Session{};
}

} // namespace lockgraph::rt
