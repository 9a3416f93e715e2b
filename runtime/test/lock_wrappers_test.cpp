// Which functions are lock wrappers, by their symbol names, and the table
// the runtime reads from this test binary's own symbol table.
#include "lock_wrappers.h"

#include "detector.h"

#include <lockgraph/mutex.h>

#include <gtest/gtest.h>

#include <cstring>

namespace lockgraph::rt::testing {
namespace {

TEST(LockWrapperSymbols, GthreadAndStdLockMembersCallTheLock) {
  EXPECT_EQ(roleOfSymbol("_ZL20__gthread_mutex_lockP15pthread_mutex_t"), Role::locks);
  EXPECT_EQ(roleOfSymbol("__gthread_recursive_mutex_lock"), Role::locks);
  EXPECT_EQ(roleOfSymbol("_ZL24__glibcxx_rwlock_wrlockP16pthread_rwlock_t"), Role::locks);
  EXPECT_EQ(roleOfSymbol("_ZNSt5mutex4lockEv"), Role::locks);
  EXPECT_EQ(roleOfSymbol("_ZNSt12shared_mutex11lock_sharedEv"), Role::locks);
  EXPECT_EQ(roleOfSymbol("_ZN9lockgraph6detail12instrumentedISt5mutexLNS0_8LockKindE0EE4lockEv"), Role::locks);
}

TEST(LockWrapperSymbols, OtherStdAndLockgraphFunctionsAreWalkedPast) {
  EXPECT_EQ(roleOfSymbol("_ZNSt10lock_guardISt5mutexEC2ERS0_"), Role::wrapper);
  EXPECT_EQ(roleOfSymbol("_ZNKSt6chrono8durationIlSt5ratioILl1ELl1000EEE5countEv"), Role::wrapper);
  EXPECT_EQ(roleOfSymbol("_ZSt4lockISt5mutexS0_JEEvRT_RT0_DpRT1_"), Role::wrapper);
  EXPECT_EQ(roleOfSymbol("_ZN9__gnu_cxx13__mutex_guardC2Ev"), Role::wrapper);
  EXPECT_EQ(roleOfSymbol("_ZL18__gthread_active_pv"), Role::wrapper);
  EXPECT_EQ(roleOfSymbol("pthread_mutex_lock"), Role::wrapper);
}

TEST(LockWrapperSymbols, ProgramFunctionsAndTheRuntimeAreNot) {
  EXPECT_EQ(roleOfSymbol("main"), Role::none);
  EXPECT_EQ(roleOfSymbol("_Z7depositv"), Role::none);
  EXPECT_EQ(roleOfSymbol("_ZN6Ledger4lockEv"), Role::none); // the program's own lock()
  EXPECT_EQ(roleOfSymbol("_ZN9lockgraph2rt10onAcquiredERNS0_9LockStateE"), Role::none);
  EXPECT_EQ(roleOfSymbol("_Z"), Role::none);
  EXPECT_EQ(roleOfSymbol("_ZN99999lockgraph"), Role::none); // a length past the end
}

TEST(LockWrapperNames, DemangledFamiliesMatchTheSymbolFamilies) {
  EXPECT_TRUE(isLockWrapperName("std::mutex::lock()"));
  EXPECT_TRUE(isLockWrapperName("__gthread_mutex_lock(pthread_mutex_t*)"));
  EXPECT_TRUE(isLockWrapperName("__glibcxx_rwlock_wrlock(pthread_rwlock_t*)"));
  EXPECT_TRUE(isLockWrapperName("void std::lock<std::mutex, std::mutex>(std::mutex&, std::mutex&)"));
  EXPECT_FALSE(isLockWrapperName("deposit(Account&, long)"));
  EXPECT_FALSE(isLockWrapperName("lockgraph::rt::testing::takeLock()"));
}

__attribute__((noinline)) void notAWrapper() { asm volatile(""); }

// This binary (-O3) has an out-of-line lockgraph::mutex::lock: the table
// read at start-up holds it, and the binary needs the walk.
TEST(LockWrapperTable, HoldsThisBinarysOutOfLineLockgraphMutexLock) {
  ensureRuntimeInitialized();
  void (lockgraph::mutex::*lockMember)() = &lockgraph::mutex::lock;
  const char* entry;
  std::memcpy(&entry, &lockMember, sizeof entry); // a non-virtual member: the function's address
  EXPECT_TRUE(insideLockWrapper(entry + 1));
  EXPECT_FALSE(insideLockWrapper(reinterpret_cast<const char*>(&notAWrapper) + 1));
}

} // namespace
} // namespace lockgraph::rt::testing
