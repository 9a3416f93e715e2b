//===- AnalysisTestUtil.h - Run the lockset analysis over a code snippet ---===//
//
// Tests state what is held at a point by calling a marker function there:
//
//   void probe();
//   void f() { std::lock_guard g(m); probe(); }   // locksAtProbes -> {"m"}
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_TESTS_ANALYSISTESTUTIL_H
#define LOCKGRAPH_TESTS_ANALYSISTESTUTIL_H

#include "analysis/Lockset.h"

#include "clang/Frontend/ASTUnit.h"
#include <memory>
#include <string>
#include <vector>

namespace lockgraph::test {

/// A parsed snippet. The snippet is compiled as C++20 against the real
/// standard library headers, so tests use std::mutex and friends as users do.
class ParsedCode {
public:
  explicit ParsedCode(const std::string &Code, LockModelOptions Options = {});
  clang::ASTContext &context() { return Unit->getASTContext(); }
  const clang::FunctionDecl *function(llvm::StringRef Name);
  const LockModel &model() const { return Model; }
  bool ok() const { return Unit != nullptr; }

  /// For every call to `probe()` in function \p Fn, in source order: the
  /// held locks, each as "spelling" (must-hold) or "spelling?" (may-hold),
  /// with " shared" appended for shared mode.
  std::vector<std::vector<std::string>> locksAtProbes(llvm::StringRef Fn);

  /// The summary of \p Fn as "acquires:x releases:y returns:z" lists.
  std::string summaryOf(llvm::StringRef Fn);

private:
  std::unique_ptr<clang::ASTUnit> Unit;
  LockModel Model;
};

} // namespace lockgraph::test

#endif
