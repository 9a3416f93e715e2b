//===- FieldAliasesTest.cpp - Pointer members learnt from the program ------===//

#include "analysis/FieldAliases.h"

#include <gtest/gtest.h>

using namespace lockgraph;

namespace {

LockRef path(const std::string &Key, const std::string &Suffix, const std::string &Class,
             FactRoot Root = FactRoot::This) {
  LockRef L;
  L.Key = Key;
  L.Suffix = Suffix;
  L.Class = Class;
  L.Spelling = Key;
  L.Root = Root;
  return L;
}

/// `Handler(Db *db, std::mutex *mu) : db_(db), mu_(mu)`.
FunctionFacts handlerConstructor() {
  FunctionFacts Ctor;
  Ctor.Id = "Handler::Handler";
  Ctor.Name = "Handler::Handler";
  Ctor.FieldParams = {{"Handler::db_", 0}, {"Handler::mu_", 1}};
  return Ctor;
}

/// A construction passing \p Db and \p Mu, building \p Member when set.
CallFact construction(LockRef Db, LockRef Mu, std::optional<LockRef> Member = std::nullopt) {
  CallFact C;
  C.Callee = "Handler::Handler";
  C.CalleeName = "Handler::Handler";
  C.Args = {std::move(Db), std::move(Mu)};
  C.Receiver = std::move(Member);
  return C;
}

std::map<std::string, FunctionFacts> program(std::vector<CallFact> Constructions) {
  std::map<std::string, FunctionFacts> Functions;
  Functions["Handler::Handler"] = handlerConstructor();
  FunctionFacts Db;
  Db.Id = Db.Name = "Db::Db";
  Db.Calls = std::move(Constructions);
  Functions["Db::Db"] = std::move(Db);
  return Functions;
}

TEST(FieldAliases, MemberPassedAsAnotherMembersMemberIsNamedThroughIt) {
  FieldAliases Aliases;
  Aliases.learn(program({construction(path("this", "", "Db"), path("this.mu_", ".mu_", "Db::mu_"),
                                      path("this.handler_", ".handler_", "Db::handler_"))}));
  LockRef L = path("this.mu_", ".mu_", "Handler::mu_");
  Aliases.rewrite(L);
  EXPECT_EQ(L.Key, "this.db_.mu_");
  EXPECT_EQ(L.Suffix, ".db_.mu_");
  EXPECT_EQ(L.Class, "Db::mu_");
}

TEST(FieldAliases, BackPointerFromAMemberObjectLeadsToItsHolder) {
  FieldAliases Aliases;
  Aliases.learn(program({construction(path("this", "", "Db"), path("this.mu_", ".mu_", "Db::mu_"),
                                      path("this.handler_", ".handler_", "Db::handler_"))}));
  // Handler's `this.db_.mu_`, seen from a Db calling `handler_.cancel()`.
  LockRef Callee = path("this.db_.mu_", ".db_.mu_", "Db::mu_");
  LockRef Receiver = path("this.handler_", ".handler_", "Db::handler_");
  LockRef Translated = path("this.handler_.db_.mu_", ".handler_.db_.mu_", "Db::mu_");
  Aliases.collapse(Translated, Callee, Receiver);
  EXPECT_EQ(Translated.Key, "this.mu_");
  EXPECT_EQ(Translated.Suffix, ".mu_");
  EXPECT_EQ(Translated.Spelling, "mu_");
}

TEST(FieldAliases, ConstructionsThatDisagreeTeachNothing) {
  FieldAliases Aliases;
  Aliases.learn(program({construction(path("this", "", "Db"), path("this.mu_", ".mu_", "Db::mu_")),
                         construction(path("param#0:db", "", "Db", FactRoot::Param),
                                      path("@spare_mu", "", "spare_mu", FactRoot::Global))}));
  EXPECT_TRUE(Aliases.empty());
  LockRef L = path("this.mu_", ".mu_", "Handler::mu_");
  Aliases.rewrite(L);
  EXPECT_EQ(L.Class, "Handler::mu_");
}

TEST(FieldAliases, AMemberObjectBuiltWithAnotherHolderIsNoBackPointer) {
  FieldAliases Aliases;
  Aliases.learn(program({construction(path("param#0:other", "", "Db", FactRoot::Param),
                                      path("param#0:other.mu_", ".mu_", "Db::mu_", FactRoot::Param),
                                      path("this.handler_", ".handler_", "Db::handler_"))}));
  LockRef Callee = path("this.db_.mu_", ".db_.mu_", "Db::mu_");
  LockRef Receiver = path("this.handler_", ".handler_", "Db::handler_");
  LockRef Translated = path("this.handler_.db_.mu_", ".handler_.db_.mu_", "Db::mu_");
  Aliases.collapse(Translated, Callee, Receiver);
  EXPECT_EQ(Translated.Key, "this.handler_.db_.mu_");
}

LockPointerStoreFact store(const std::string &Field, const std::string &Class, const std::string &Path = "") {
  return LockPointerStoreFact{Field, Class, Path, false};
}

LockPointerStoreFact unknownStore(const std::string &Field) { return LockPointerStoreFact{Field, "", "", false}; }

LockPointerStoreFact copy(const std::string &Field) { return LockPointerStoreFact{Field, "", "", true}; }

/// A lock taken through `info->merge_lock`, `info` being parameter 0.
LockRef throughMergeInfo() {
  return path("param#0:info.merge_lock", ".merge_lock", "MergeInfo::merge_lock", FactRoot::Param);
}

/// A lock taken through `this->self_`.
LockRef throughSelf() { return path("this.self_", ".self_", "Table::self_"); }

/// A lock taken through Handler's `this->mu_`.
LockRef throughHandler() { return path("this.mu_", ".mu_", "Handler::mu_"); }

/// \p L as the link names it once it has learnt from \p Stores and
/// \p Functions.
LockRef learnt(LockRef L, std::vector<LockPointerStoreFact> Stores,
               const std::map<std::string, FunctionFacts> &Functions = {}) {
  FieldAliases Aliases;
  Aliases.learn(Functions, Stores);
  Aliases.rewrite(L);
  return L;
}

TEST(FieldAliases, StoresOfOneClassNameThatClassButNotTheObject) {
  // `info->merge_lock = &merge_lock_;` in two functions of Table.
  LockRef L = learnt(throughMergeInfo(), {store("MergeInfo::merge_lock", "Table::merge_lock_"),
                                          store("MergeInfo::merge_lock", "Table::merge_lock_")});
  EXPECT_EQ(L.Class, "Table::merge_lock_");
  EXPECT_EQ(L.Key, "param#0:info.merge_lock");
  EXPECT_EQ(L.Suffix, ".merge_lock");
}

TEST(FieldAliases, StoresOfAMemberOfTheHolderNameThatMember) {
  // `this->self_ = &this->self_mu_;`, `Mutex *self_ = &self_mu_;`.
  LockRef L = learnt(throughSelf(), {store("Table::self_", "Table::self_mu_", ".self_mu_"),
                                     store("Table::self_", "Table::self_mu_", ".self_mu_")});
  EXPECT_EQ(L.Key, "this.self_mu_");
  EXPECT_EQ(L.Suffix, ".self_mu_");
  EXPECT_EQ(L.Class, "Table::self_mu_");
}

TEST(FieldAliases, StoresOfOneClassFromSeveralObjectsNameTheClassOnly) {
  // `self_ = &self_mu_;` and `self_ = &other->self_mu_;`.
  LockRef L = learnt(throughSelf(),
                     {store("Table::self_", "Table::self_mu_", ".self_mu_"), store("Table::self_", "Table::self_mu_")});
  EXPECT_EQ(L.Key, "this.self_");
  EXPECT_EQ(L.Class, "Table::self_mu_");
}

TEST(FieldAliases, ACopiedPointerNoLongerPointsIntoItsHolder) {
  LockRef L = learnt(throughSelf(), {store("Table::self_", "Table::self_mu_", ".self_mu_"), copy("Table::self_")});
  EXPECT_EQ(L.Key, "this.self_");
  EXPECT_EQ(L.Class, "Table::self_mu_");
}

TEST(FieldAliases, StoresOfTwoClassesTeachNothing) {
  FieldAliases Aliases;
  Aliases.learn({}, {store("Slot::lock", "Left::mu_"), store("Slot::lock", "Right::mu_")});
  EXPECT_TRUE(Aliases.empty());
}

TEST(FieldAliases, AStoreOfSomethingUnknownTeachesNothing) {
  // `t->lock = &merge_lock_;` and `t->lock = pick_lock();`.
  LockRef L = learnt(throughMergeInfo(), {store("MergeInfo::merge_lock", "Table::merge_lock_"),
                                          unknownStore("MergeInfo::merge_lock")});
  EXPECT_EQ(L.Class, "MergeInfo::merge_lock");
}

TEST(FieldAliases, OnlyCopiesTeachNothing) {
  FieldAliases Aliases;
  Aliases.learn({}, {copy("Table::self_")});
  EXPECT_TRUE(Aliases.empty());
}

TEST(FieldAliases, StoresAndConstructionsThatAgreeOnTheClassNameIt) {
  // Handler::mu_ is `db_->mu_` by its constructions, and some function
  // also sets it to another Db's mutex.
  LockRef L = learnt(throughHandler(), {store("Handler::mu_", "Db::mu_")},
                     program({construction(path("this", "", "Db"), path("this.mu_", ".mu_", "Db::mu_"))}));
  EXPECT_EQ(L.Key, "this.mu_");
  EXPECT_EQ(L.Class, "Db::mu_");
}

TEST(FieldAliases, AStoreThatDisagreesWithTheConstructionsUndoesThem) {
  LockRef L = learnt(throughHandler(), {store("Handler::mu_", "Journal::mu_")},
                     program({construction(path("this", "", "Db"), path("this.mu_", ".mu_", "Db::mu_"))}));
  EXPECT_EQ(L.Class, "Handler::mu_");
}

TEST(FieldAliases, AMemberAlsoSetFromAnUnsettledParameterIsNotNamedByItsStores) {
  // The constructor sets mu_ from a parameter but nothing constructs it.
  LockRef L = learnt(throughHandler(), {store("Handler::mu_", "Db::mu_")},
                     {{"Handler::Handler", handlerConstructor()}});
  EXPECT_EQ(L.Class, "Handler::mu_");
}

} // namespace
