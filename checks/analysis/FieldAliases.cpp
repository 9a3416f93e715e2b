//===- FieldAliases.cpp ---------------------------------------------------===//

#include "analysis/FieldAliases.h"

#include <optional>

namespace lockgraph {
namespace {

/// ".member" of "ns::Class::member".
std::string memberComponent(const std::string &Field) {
  size_t Colons = Field.rfind("::");
  return "." + (Colons == std::string::npos ? Field : Field.substr(Colons + 2));
}

/// The first member of a path (".db_" of ".db_.mutex_"), or empty.
std::string firstComponent(const std::string &Suffix) {
  if (Suffix.size() < 2 || Suffix[0] != '.')
    return {};
  size_t End = Suffix.find_first_of(".[", 1);
  return Suffix.substr(0, End);
}

bool endsWith(const std::string &S, const std::string &Tail) {
  return S.size() >= Tail.size() && S.compare(S.size() - Tail.size(), Tail.size(), Tail) == 0;
}

/// The path from \p Base to \p Inner when \p Inner is reached from it
/// through members (`this`, `this.mutex_` -> ".mutex_"), else empty.
std::string pathBelow(const LockRef &Base, const LockRef &Inner) {
  const std::string &B = Base.Key, &I = Inner.Key;
  if (B == "?" || I.size() <= B.size() || I.compare(0, B.size(), B) != 0 || I[B.size()] != '.')
    return {};
  return I.substr(B.size());
}

const LockRef *argument(const CallFact &C, unsigned Index) {
  return Index < C.Args.size() && C.Args[Index] ? &*C.Args[Index] : nullptr;
}

} // namespace

void FieldAliases::learn(const std::map<std::string, FunctionFacts> &Functions,
                         const std::vector<LockPointerStoreFact> &Stores) {
  learnFromConstructions(Functions);
  learnFromStores(Functions, Stores);
}

void FieldAliases::learnFromConstructions(const std::map<std::string, FunctionFacts> &Functions) {
  std::map<std::string, std::vector<const CallFact *>> Constructions;
  for (const auto &[Id, F] : Functions)
    for (const CallFact &C : F.Calls)
      if (auto It = Functions.find(C.Callee); It != Functions.end() && !It->second.FieldParams.empty())
        Constructions[C.Callee].push_back(&C);

  // A rule holds when every construction agrees; one that disagrees, or
  // another constructor giving another answer, voids it.
  std::map<std::string, std::optional<MemberOf>> MemberVotes;
  std::map<std::pair<std::string, std::string>, bool> BackVotes;
  for (const auto &[CtorId, Calls] : Constructions) {
    const FunctionFacts &Ctor = Functions.at(CtorId);
    for (const auto &[Field, Param] : Ctor.FieldParams) {
      for (const auto &[Other, OtherParam] : Ctor.FieldParams) {
        if (Other == Field)
          continue;
        std::optional<MemberOf> Agreed;
        for (const CallFact *C : Calls) {
          const LockRef *Base = argument(*C, OtherParam), *Target = argument(*C, Param);
          std::string Below = Base && Target ? pathBelow(*Base, *Target) : std::string();
          std::string Path = memberComponent(Other) + Below;
          if (Below.empty() || (Agreed && (Agreed->Path != Path || Agreed->Class != Target->Class))) {
            Agreed.reset();
            break;
          }
          Agreed = MemberOf{Path, Target->Class};
        }
        if (!Agreed)
          continue;
        auto [It, New] = MemberVotes.try_emplace(Field, Agreed);
        if (!New && (!It->second || It->second->Path != Agreed->Path))
          It->second.reset();
      }
      for (const CallFact *C : Calls) {
        if (!C->Receiver)
          continue;
        const LockRef *Passed = argument(*C, Param);
        std::string Below = Passed ? pathBelow(*Passed, *C->Receiver) : std::string();
        bool Back = !Below.empty() && firstComponent(Below) == Below;
        auto [It, New] = BackVotes.try_emplace({C->Receiver->Class, memberComponent(Field)}, Back);
        It->second = It->second && Back;
      }
    }
  }
  for (auto &[Field, Vote] : MemberVotes)
    if (Vote)
      Members.emplace(Field, *Vote);
  for (auto &[Key, Vote] : BackVotes)
    if (Vote)
      BackPointers.insert(Key);
}

void FieldAliases::learnFromStores(const std::map<std::string, FunctionFacts> &Functions,
                                   const std::vector<LockPointerStoreFact> &Stores) {
  if (Stores.empty())
    return;
  std::set<std::string> SetFromParameters;
  for (const auto &[Id, F] : Functions)
    for (const auto &[Field, Param] : F.FieldParams)
      SetFromParameters.insert(Field);
  struct Vote {
    std::optional<MemberOf> Target;
    bool Unknown = false; ///< something the link cannot name is stored
    bool Copied = false;  ///< the member's value is copied to another object
    void cast(const MemberOf &M) {
      if (!Target)
        Target = M;
      else if (Target->Class != M.Class)
        Unknown = true;
      else if (Target->Path != M.Path)
        Target->Path.clear(); // one class, not one member of the holder
    }
  };
  std::map<std::string, Vote> Votes;
  for (const LockPointerStoreFact &S : Stores) {
    Vote &V = Votes[S.Field];
    if (S.Copy)
      V.Copied = true;
    else if (S.Class.empty())
      V.Unknown = true;
    else
      V.cast({S.Path, S.Class});
  }
  for (auto &[Field, V] : Votes) {
    // A copy's pointer still points into the object it was copied from:
    // the stores' paths hold for that object only. (A constructor's path
    // through another pointer member is copied with it.)
    if (V.Copied && V.Target)
      V.Target->Path.clear();
    if (SetFromParameters.count(Field)) {
      if (auto It = Members.find(Field); It != Members.end())
        V.cast(It->second);
      else
        V.Unknown = true; // set from a parameter the constructions do not settle
    }
    if (V.Unknown || !V.Target)
      Members.erase(Field);
    else
      Members[Field] = *V.Target;
  }
}

void FieldAliases::rewrite(LockRef &L) const {
  auto It = Members.find(L.Class);
  if (It == Members.end())
    return;
  if (It->second.Path.empty()) {
    // Which object is not known, only that it is a lock of that class.
    L.Class = It->second.Class;
    return;
  }
  std::string Name = memberComponent(L.Class);
  if (!endsWith(L.Suffix, Name))
    return;
  const std::string &Target = It->second.Path;
  L.Suffix = L.Suffix.substr(0, L.Suffix.size() - Name.size()) + Target;
  if (endsWith(L.Key, Name))
    L.Key = L.Key.substr(0, L.Key.size() - Name.size()) + Target;
  L.Class = It->second.Class;
}

void FieldAliases::collapse(LockRef &Translated, const LockRef &Callee, const LockRef &Receiver) const {
  if (Callee.Root != FactRoot::This || Receiver.Key == "?")
    return;
  std::string First = firstComponent(Callee.Suffix);
  if (First.empty() || First == Callee.Suffix || !BackPointers.count({Receiver.Class, First}))
    return;
  size_t KeyDot = Receiver.Key.rfind('.'), SuffixDot = Receiver.Suffix.rfind('.');
  if (KeyDot == std::string::npos || SuffixDot == std::string::npos)
    return;
  std::string Rest = Callee.Suffix.substr(First.size());
  Translated.Key = Receiver.Key.substr(0, KeyDot) + Rest;
  Translated.Suffix = Receiver.Suffix.substr(0, SuffixDot) + Rest;
  if (SuffixDot == 0 && Receiver.Root == FactRoot::This)
    Translated.Spelling = Rest.substr(1);
}

} // namespace lockgraph
