//===- LockModelTest.cpp - Which types are mutexes and guards -------------===//

#include "AnalysisTestUtil.h"

#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include <gtest/gtest.h>

using namespace clang;
using namespace clang::ast_matchers;
using namespace lockgraph;
using namespace lockgraph::test;

namespace {

/// The type of global variable \p Var in \p Code.
QualType typeOf(ParsedCode &Code, llvm::StringRef Var) {
  auto Matches = match(varDecl(hasName(Var)).bind("v"), Code.context());
  if (Matches.empty())
    return {};
  return Matches[0].getNodeAs<VarDecl>("v")->getType();
}

const char *Types = R"cpp(
#include <mutex>
#include <shared_mutex>
#include <pthread.h>
using Alias = std::mutex;
typedef std::recursive_mutex RecAlias;
struct __attribute__((capability("mutex"))) AnnotatedMutex { void Lock(); void Unlock(); };
struct NotAMutex { void lock(); void unlock(); };
class RaiiLocker { std::mutex &m_; public: explicit RaiiLocker(std::mutex &m) : m_(m) { m_.lock(); } ~RaiiLocker() { m_.unlock(); } };
namespace cppcoro { struct async_mutex { void unlock(); }; }
std::mutex plain; Alias alias; RecAlias rec; std::shared_mutex shared; std::timed_mutex timed;
pthread_mutex_t pm; pthread_rwlock_t rw; pthread_spinlock_t spin;
AnnotatedMutex annotated; NotAMutex notmutex; cppcoro::async_mutex am;
std::lock_guard<std::mutex> *lg; std::unique_lock<Alias> *ul; std::shared_lock<std::shared_mutex> *sl;
std::scoped_lock<std::mutex, std::mutex> *sc; RaiiLocker *raii; std::unique_lock<cppcoro::async_mutex> *asyncGuard;
)cpp";

class LockModelTest : public ::testing::Test {
protected:
  LockModelTest() : Code(Types, LockModelOptions{{}, {}, LockModelOptions::defaultAsyncMutexes(), {}}) {}
  std::optional<MutexKind> mutexKind(llvm::StringRef Var) { return Code.model().classifyMutex(typeOf(Code, Var)); }
  std::optional<GuardTypeInfo> guard(llvm::StringRef Var) {
    return Code.model().classifyGuard(typeOf(Code, Var)->getPointeeType());
  }
  ParsedCode Code;
};

TEST_F(LockModelTest, StandardMutexes) {
  EXPECT_EQ(mutexKind("plain"), MutexKind::Plain);
  EXPECT_EQ(mutexKind("timed"), MutexKind::Plain);
  EXPECT_EQ(mutexKind("shared"), MutexKind::Shared);
}

TEST_F(LockModelTest, AliasesLookThrough) {
  EXPECT_EQ(mutexKind("alias"), MutexKind::Plain);
  EXPECT_EQ(mutexKind("rec"), MutexKind::Recursive);
}

TEST_F(LockModelTest, PosixTypesByTypedefName) {
  EXPECT_EQ(mutexKind("pm"), MutexKind::Plain);
  EXPECT_EQ(mutexKind("rw"), MutexKind::Shared);
  EXPECT_EQ(mutexKind("spin"), MutexKind::Spin);
}

TEST_F(LockModelTest, CapabilityAttributeMakesAMutex) { EXPECT_EQ(mutexKind("annotated"), MutexKind::Plain); }

TEST_F(LockModelTest, LockMethodsAloneDoNotMakeAMutex) { EXPECT_FALSE(mutexKind("notmutex")); }

TEST_F(LockModelTest, AsyncMutexIsNotAMutex) { EXPECT_FALSE(mutexKind("am")); }

TEST_F(LockModelTest, StandardGuards) {
  ASSERT_TRUE(guard("lg"));
  EXPECT_EQ(guard("lg")->Kind, GuardKind::Scoped);
  ASSERT_TRUE(guard("ul"));
  EXPECT_EQ(guard("ul")->Kind, GuardKind::Movable);
  ASSERT_TRUE(guard("sl"));
  EXPECT_EQ(guard("sl")->Mode, LockMode::Shared);
  ASSERT_TRUE(guard("sc"));
  EXPECT_TRUE(guard("sc")->ManyMutexes);
}

TEST_F(LockModelTest, HandWrittenRaiiLockerIsAGuard) {
  ASSERT_TRUE(guard("raii"));
  EXPECT_EQ(guard("raii")->Kind, GuardKind::Scoped);
}

TEST_F(LockModelTest, GuardOfAsyncMutexIsNotAGuard) { EXPECT_FALSE(guard("asyncGuard")); }

TEST(LockModelOptions, ConfiguredNamesAreMutexes) {
  ParsedCode Code("namespace lib { struct SpinLock { void lock(); void unlock(); }; } lib::SpinLock s;",
                  LockModelOptions{{"lib::SpinLock"}, {}, {}, {}});
  EXPECT_EQ(Code.model().classifyMutex(typeOf(Code, "s")), MutexKind::Plain);
}

TEST(LockModelOptions, SplitNameListTrimsAndAcceptsBothSeparators) {
  EXPECT_EQ(splitNameList(" a::B ; ::c,d ;"), (std::vector<std::string>{"a::B", "c", "d"}));
}

} // namespace
