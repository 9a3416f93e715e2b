//===- LockModelTest.cpp - Which types are mutexes and guards -------------===//

#include "AnalysisTestUtil.h"
#include "model/LockClassDiscovery.h"

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
struct NotAMutex { int n = 0; void lock() { ++n; } void unlock() { --n; } };
// Project mutex classes, found without configuration.
class PortMutex { public: void Lock() { mu_.lock(); } void Unlock() { mu_.unlock(); } private: std::mutex mu_; };
class Instrumented { public: void Lock() { LockInternal(); } void Unlock() { mutex_.Unlock(); }
  private: void LockInternal() { mutex_.Lock(); } PortMutex mutex_; };
class CriticalSection { public: CriticalSection(); void Lock() { pthread_mutex_lock(&m_); } void Unlock() { pthread_mutex_unlock(&m_); }
  protected: pthread_mutex_t m_; };
CriticalSection::CriticalSection() { pthread_mutexattr_t a; pthread_mutexattr_init(&a);
  pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE); pthread_mutex_init(&m_, &a); }
class Elsewhere { public: void Lock(); void Unlock(); };
class Gate { public: void Enter(); void Leave(); };
class RwElsewhere { public: void ReadLock(); void ReadUnlock(); void WriteLock(); void WriteUnlock(); };
class TakeGive { public: void take() { m_.lock(); } void give() { m_.unlock(); } private: std::recursive_mutex m_; };
class Channel : public CriticalSection { public: void Send(); };
class NeedsKey { public: void Lock(int key); void Unlock(int key); };
class Event { public: unsigned Lock(); unsigned Unlock(); unsigned Lock(unsigned timeout); void SetEvent(); };
class VoidEvent { public: void Lock(); void Unlock(); int Lock(unsigned timeoutMs); };
class Signal { public: void Lock() { pthread_mutex_lock(&m_); pthread_mutex_unlock(&m_); }
  void Unlock() { pthread_mutex_lock(&m_); pthread_mutex_unlock(&m_); } private: pthread_mutex_t m_; };
class Counter { public: void lock() { std::lock_guard g(m_); ++n_; } void unlock() { std::lock_guard g(m_); --n_; }
  private: std::mutex m_; int n_ = 0; };
class RaiiLocker { std::mutex &m_; public: explicit RaiiLocker(std::mutex &m) : m_(m) { m_.lock(); } ~RaiiLocker() { m_.unlock(); } };
class RaiiUnlocker { std::mutex &m_; public: explicit RaiiUnlocker(std::mutex &m) : m_(m) { m_.unlock(); } ~RaiiUnlocker() { m_.lock(); } };
namespace cppcoro { struct async_mutex { void unlock(); }; }
std::mutex plain; Alias alias; RecAlias rec; std::shared_mutex shared; std::timed_mutex timed;
pthread_mutex_t pm; pthread_rwlock_t rw; pthread_spinlock_t spin;
AnnotatedMutex annotated; NotAMutex notmutex; cppcoro::async_mutex am;
PortMutex port; Instrumented instrumented; CriticalSection cs; Elsewhere elsewhere; Gate gate; RwElsewhere rwe;
TakeGive takegive; Channel channel; NeedsKey needskey; Counter counter; Event event; VoidEvent voidevent;
Signal signal;
std::lock_guard<std::mutex> *lg; std::unique_lock<Alias> *ul; std::shared_lock<std::shared_mutex> *sl;
std::scoped_lock<std::mutex, std::mutex> *sc; RaiiLocker *raii; RaiiUnlocker *unraii; std::unique_lock<cppcoro::async_mutex> *asyncGuard;
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

TEST_F(LockModelTest, LockMethodsThatLockNothingDoNotMakeAMutex) { EXPECT_FALSE(mutexKind("notmutex")); }

TEST_F(LockModelTest, ClassLockingAMutexItOwnsIsAMutex) {
  EXPECT_EQ(mutexKind("port"), MutexKind::Plain);
  const DiscoveredLock *D = Code.model().discovered(typeOf(Code, "port")->getAsCXXRecordDecl());
  ASSERT_TRUE(D);
  EXPECT_EQ(D->How, DiscoveryEvidence::Body);
}

TEST_F(LockModelTest, WrapperOfAWrapperThroughAHelperIsAMutex) {
  EXPECT_EQ(mutexKind("instrumented"), MutexKind::Plain);
}

TEST_F(LockModelTest, ConstructorSettingRecursiveMakesARecursiveMutex) {
  EXPECT_EQ(mutexKind("cs"), MutexKind::Recursive);
}

TEST_F(LockModelTest, WrapperOfARecursiveMutexIsRecursiveWhateverItsMethodsAreCalled) {
  EXPECT_EQ(mutexKind("takegive"), MutexKind::Recursive);
  const CXXRecordDecl *RD = typeOf(Code, "takegive")->getAsCXXRecordDecl();
  for (const CXXMethodDecl *M : RD->methods())
    if (M->getIdentifier() && M->getName() == "take")
      EXPECT_EQ(Code.model().operationOf(M), MutexOp::Lock);
}

TEST_F(LockModelTest, ShapeRuleWhenTheBodiesAreElsewhere) {
  EXPECT_EQ(mutexKind("elsewhere"), MutexKind::Plain);
  EXPECT_EQ(mutexKind("gate"), MutexKind::Plain);
  EXPECT_EQ(mutexKind("rwe"), MutexKind::Shared);
  const DiscoveredLock *D = Code.model().discovered(typeOf(Code, "gate")->getAsCXXRecordDecl());
  ASSERT_TRUE(D);
  EXPECT_EQ(D->How, DiscoveryEvidence::Shape);
}

TEST_F(LockModelTest, DerivedFromAMutexClassIsOne) { EXPECT_EQ(mutexKind("channel"), MutexKind::Recursive); }

TEST_F(LockModelTest, LockTakingAKeyIsNotAMutex) { EXPECT_FALSE(mutexKind("needskey")); }

TEST_F(LockModelTest, LockReturningAStatusIsAWaitNotAMutexByShape) { EXPECT_FALSE(mutexKind("event")); }

TEST_F(LockModelTest, LockTakingATimeoutIsAWaitNotAnAcquisitionByShape) {
  EXPECT_EQ(mutexKind("voidevent"), MutexKind::Plain);
  for (const CXXMethodDecl *M : typeOf(Code, "voidevent")->getAsCXXRecordDecl()->methods())
    if (M->getIdentifier() && M->getName() == "Lock")
      EXPECT_EQ(Code.model().operationOf(M), M->getNumParams() == 0 ? MutexOp::Lock : MutexOp::None);
}

TEST_F(LockModelTest, BodiesThatLockNothingRefuteTheShapeRule) {
  EXPECT_FALSE(mutexKind("signal"));
  EXPECT_TRUE(shapeRefutedByBodies(typeOf(Code, "signal")->getAsCXXRecordDecl(), Code.model()));
  EXPECT_FALSE(shapeRefutedByBodies(typeOf(Code, "elsewhere")->getAsCXXRecordDecl(), Code.model()));
  EXPECT_FALSE(shapeRefutedByBodies(typeOf(Code, "needskey")->getAsCXXRecordDecl(), Code.model()));
}

TEST_F(LockModelTest, WrapperNamesTheDiscoveredClassItWraps) {
  ASSERT_TRUE(mutexKind("instrumented"));
  ASSERT_TRUE(mutexKind("channel"));
  const DiscoveredLock *I = Code.model().discovered(typeOf(Code, "instrumented")->getAsCXXRecordDecl());
  const DiscoveredLock *C = Code.model().discovered(typeOf(Code, "channel")->getAsCXXRecordDecl());
  ASSERT_TRUE(I && C && I->Wraps && C->Wraps);
  EXPECT_EQ(I->Wraps->getName(), "PortMutex");
  EXPECT_EQ(C->Wraps->getName(), "CriticalSection");
  EXPECT_FALSE(Code.model().discovered(typeOf(Code, "port")->getAsCXXRecordDecl())->Wraps);
}

TEST_F(LockModelTest, MembersLockingAndUnlockingInsideAreNotAMutex) { EXPECT_FALSE(mutexKind("counter")); }

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

TEST_F(LockModelTest, HandWrittenScopedUnlockIsAReverseGuard) {
  ASSERT_TRUE(guard("unraii"));
  EXPECT_EQ(guard("unraii")->Kind, GuardKind::Reverse);
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
