#include "CheckCatalog.h"

#include "llvm/ADT/Twine.h"

namespace lockgraph {

namespace {
struct CheckEntry {
  llvm::StringRef Name;
  llvm::StringRef Summary;
};
} // namespace

static const CheckEntry Catalog[] = {
    {"lockgraph-lock-across-await",
     "a lock of a synchronous mutex is held across a coroutine suspension "
     "point (co_await or co_yield)"},
    {"lockgraph-double-lock",
     "a thread locks a non-recursive mutex it already holds, directly or "
     "through calls, or upgrades a shared lock to exclusive"},
    {"lockgraph-lock-order",
     "locks are taken in orders that form a cycle (across functions and "
     "files), or two locks of one class are nested in a caller-chosen order"},
    {"lockgraph-blocking-under-lock",
     "a call that can block the thread (a sleep, I/O, a join, a wait) is made "
     "while a lock is held, directly or through calls"},
    {"lockgraph-callback-under-lock",
     "code the lock holder does not control (a std::function, a function "
     "pointer, a virtual call on another object) runs while a lock is held"},
    {"lockgraph-long-critical-section",
     "expensive work (loops over data, sorting, regular expressions, copying "
     "containers, long sections) is done while a lock is held"},
    {"lockgraph-unreleased-lock",
     "a lock taken by hand stays held on some path out of the function "
     "(early return, break, throw) while other paths release it"},
};

bool isPerformanceAdvice(llvm::StringRef Check) {
  return Check == "lockgraph-blocking-under-lock" || Check == "lockgraph-callback-under-lock" ||
         Check == "lockgraph-long-critical-section";
}

std::string documentationUri(llvm::StringRef Page) {
  // LOCKGRAPH_DOCS_URL is set by the build and points at the docs/ folder.
  return (llvm::Twine(llvm::StringRef(LOCKGRAPH_DOCS_URL).rtrim('/')) + "/" + Page).str();
}

std::optional<llvm::StringRef> checkSummary(llvm::StringRef Check) {
  for (const CheckEntry &E : Catalog)
    if (E.Name == Check)
      return E.Summary;
  return std::nullopt;
}

std::optional<std::string> checkHelpUri(llvm::StringRef Check) {
  if (!Check.starts_with("lockgraph-"))
    return std::nullopt;
  return documentationUri("checks/" + Check.str() + ".md");
}

} // namespace lockgraph
