//===- CallbackDispatch.cpp -----------------------------------------------===//

#include "analysis/CallbackDispatch.h"

#include "llvm/ADT/STLExtras.h"

#include <set>
#include <tuple>

namespace lockgraph {

bool dispatchRunsOnlyHarmlessCode(const VirtualCallbackFact &Call,
                                  const std::unordered_map<std::string, bool> &Verdicts,
                                  const std::unordered_map<std::string, std::vector<std::string>> &Overriders) {
  std::vector<std::string> Implementations;
  if (auto It = Overriders.find(Call.Method); It != Overriders.end())
    Implementations = It->second;
  // No override in the program: the objects of an abstract class are of
  // classes derived outside it, which may override the method; so are
  // the overrides of an empty hook (an extension's OnConnectionOpened).
  if (Implementations.empty() && (Call.InAbstractClass || Call.MethodIsEmptyHook))
    return false;
  if (!Call.MethodIsPure)
    Implementations.push_back(Call.Method);
  llvm::append_range(Implementations, Call.Undefined);
  if (Implementations.empty())
    return false;
  for (const std::string &Id : Implementations) {
    auto Verdict = Verdicts.find(Id);
    if (Verdict == Verdicts.end() || !Verdict->second)
      return false;
  }
  return true;
}

std::vector<VirtualCallbackFact>
harmlessVirtualCallbacks(const std::vector<VirtualCallbackFact> &Callbacks,
                         const std::unordered_map<std::string, bool> &Verdicts,
                         const std::unordered_map<std::string, std::vector<std::string>> &Overriders) {
  using Key = std::tuple<std::string, unsigned, unsigned, std::string>;
  auto KeyOf = [](const VirtualCallbackFact &C) {
    return Key{C.Site.File, C.Site.Line, C.Site.Column, C.Message};
  };
  std::set<Key> Harmful;
  for (const VirtualCallbackFact &C : Callbacks)
    if (!dispatchRunsOnlyHarmlessCode(C, Verdicts, Overriders))
      Harmful.insert(KeyOf(C));
  std::set<Key> Seen;
  std::vector<VirtualCallbackFact> Out;
  for (const VirtualCallbackFact &C : Callbacks)
    if (!Harmful.count(KeyOf(C)) && Seen.insert(KeyOf(C)).second)
      Out.push_back(C);
  return Out;
}

} // namespace lockgraph
