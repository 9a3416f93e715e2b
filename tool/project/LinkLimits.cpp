//===- LinkLimits.cpp -----------------------------------------------------===//

#include "LinkLimits.h"

#include "llvm/ADT/StringExtras.h"

namespace lockgraph {

const OptionSpec LinkLimitOptions[3] = {
    {"max-call-depth", "N", "Follow call chains up to N calls deep when linking (default 128)."},
    {"max-locks-per-function", "N",
     "Remember up to N locks that a call to one function may take (default 256)."},
    {"max-cycles", "N", "Report at most N lock-order cycles (default 10000)."},
};

llvm::Expected<LinkOptions> linkOptionsFrom(const ParsedArgs &Args) {
  LinkOptions Out;
  auto Read = [&](const char *Name, auto &Value) -> llvm::Error {
    std::optional<std::string> Text = Args.last(Name);
    if (!Text)
      return llvm::Error::success();
    uint64_t N = 0;
    if (!llvm::to_integer(*Text, N, 10) || N == 0 || N > (1u << 30))
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "--" + std::string(Name) + " needs a positive number, got '" + *Text + "'");
    Value = decltype(Value + 0)(N);
    return llvm::Error::success();
  };
  if (llvm::Error E = Read("max-call-depth", Out.MaxCallDepth))
    return std::move(E);
  if (llvm::Error E = Read("max-locks-per-function", Out.MaxMayAcquire))
    return std::move(E);
  if (llvm::Error E = Read("max-cycles", Out.MaxCycles))
    return std::move(E);
  return Out;
}

std::vector<std::string> limitNotes(const LinkLimitHits &Hits, const LinkOptions &Options) {
  std::vector<std::string> Out;
  if (Hits.CallDepthCuts)
    Out.push_back("analysis depth limit " + std::to_string(Options.MaxCallDepth) + " reached in '" +
                  Hits.FirstCallDepthCut + "'" +
                  (Hits.CallDepthCuts > 1 ? " and " + std::to_string(Hits.CallDepthCuts - 1) + " more places" : "") +
                  ": deeper calls were not followed, so lock orders through them may be missing; raise it with "
                  "--max-call-depth=N");
  if (Hits.MayAcquireCaps)
    Out.push_back("'" + Hits.FirstMayAcquireCap + "'" +
                  (Hits.MayAcquireCaps > 1 ? " and " + std::to_string(Hits.MayAcquireCaps - 1) + " more functions"
                                           : "") +
                  " may take more than " + std::to_string(Options.MaxMayAcquire) +
                  " locks through their calls; the others were not followed; raise it with "
                  "--max-locks-per-function=N");
  if (Hits.CyclesBeyondCap)
    Out.push_back("cycle limit " + std::to_string(Options.MaxCycles) +
                  " reached: lock-order cycles beyond it were not reported; raise it with --max-cycles=N");
  return Out;
}

} // namespace lockgraph
