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
};

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
