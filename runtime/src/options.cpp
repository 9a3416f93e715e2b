#include "options.h"

#include "os.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace lockgraph::rt {

Options theOptions;

namespace {

bool isSeparator(char c) { return c == ':' || c == ' ' || c == '\t' || c == '\n' || c == ','; }

bool parseUnsigned(const char* value, std::uint64_t* out) {
  if (*value == '\0')
    return false;
  std::uint64_t v = 0;
  for (const char* p = value; *p; ++p) {
    if (*p < '0' || *p > '9')
      return false;
    v = v * 10 + static_cast<std::uint64_t>(*p - '0');
    if (v > (1ull << 40))
      return false;
  }
  *out = v;
  return true;
}

bool parseBool(const char* value, bool* out) {
  if (!std::strcmp(value, "1") || !std::strcmp(value, "true")) {
    *out = true;
    return true;
  }
  if (!std::strcmp(value, "0") || !std::strcmp(value, "false")) {
    *out = false;
    return true;
  }
  return false;
}

bool copyPath(const char* value, char* dest, std::size_t size) {
  std::size_t n = std::strlen(value);
  if (n >= size)
    return false;
  std::memcpy(dest, value, n + 1);
  return true;
}

bool applyOption(const char* name, const char* value, Options* o) {
  std::uint64_t n = 0;
  if (!std::strcmp(name, "report_path"))
    return copyPath(value, o->reportPath, sizeof(o->reportPath));
  if (!std::strcmp(name, "graph_dir"))
    return copyPath(value, o->graphDir, sizeof(o->graphDir));
  if (!std::strcmp(name, "symbolizer_path"))
    return copyPath(value, o->symbolizerPath, sizeof(o->symbolizerPath));
  if (!std::strcmp(name, "exitcode")) {
    if (!parseUnsigned(value, &n) || n > 255)
      return false;
    o->exitCode = static_cast<int>(n);
    return true;
  }
  if (!std::strcmp(name, "halt_on_error"))
    return parseBool(value, &o->haltOnError);
  if (!std::strcmp(name, "long_hold_ms"))
    return parseUnsigned(value, &o->longHoldMs);
  if (!std::strcmp(name, "deadlock_timeout_ms"))
    return parseUnsigned(value, &o->deadlockTimeoutMs);
  if (!std::strcmp(name, "exit_on_deadlock"))
    return parseBool(value, &o->exitOnDeadlock);
  if (!std::strcmp(name, "stack_depth")) {
    if (!parseUnsigned(value, &n) || n < 1 || n > 256)
      return false;
    o->stackDepth = static_cast<int>(n);
    return true;
  }
  if (!std::strcmp(name, "stats"))
    return parseBool(value, &o->stats);
  if (!std::strcmp(name, "report_graph"))
    return parseBool(value, &o->reportGraph);
  if (!std::strcmp(name, "symbolize"))
    return parseBool(value, &o->symbolize);
  return false;
}

} // namespace

bool parseOptions(const char* text, Options* out, char* error, unsigned errorSize) {
  char name[64];
  char value[512];
  const char* p = text;
  while (*p) {
    while (*p && isSeparator(*p))
      ++p;
    if (!*p)
      break;
    std::size_t n = 0;
    while (*p && *p != '=' && !isSeparator(*p) && n + 1 < sizeof(name))
      name[n++] = *p++;
    name[n] = '\0';
    if (*p != '=') {
      std::snprintf(error, errorSize, "expected name=value in LOCKGRAPH_OPTIONS near '%s'", name);
      return false;
    }
    ++p;
    std::size_t v = 0;
    while (*p && !isSeparator(*p) && v + 1 < sizeof(value))
      value[v++] = *p++;
    value[v] = '\0';
    if (!applyOption(name, value, out)) {
      std::snprintf(error, errorSize, "invalid LOCKGRAPH_OPTIONS entry '%s=%s'", name, value);
      return false;
    }
  }
  return true;
}

void loadOptionsFromEnvironment() {
  const char* text = std::getenv("LOCKGRAPH_OPTIONS");
  if (text == nullptr)
    return;
  char error[256];
  if (!parseOptions(text, &theOptions, error, sizeof(error))) {
    // A typo in an option must not silently turn a check off.
    writeAll(2, "lockgraph: ", 11);
    writeAll(2, error, std::strlen(error));
    writeAll(2, "\n", 1);
    _Exit(2);
  }
}

} // namespace lockgraph::rt
