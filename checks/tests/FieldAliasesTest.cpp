//===- FieldAliasesTest.cpp - Pointer members learnt from constructions ----===//

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

} // namespace
