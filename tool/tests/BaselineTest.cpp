#include "Baseline.h"

#include "llvm/Support/FormatVariadic.h"

#include <gtest/gtest.h>

using namespace lockgraph;

namespace {

Finding finding(std::string File, unsigned Line, std::string LineText,
                std::string Message = "'co_await' while holding lock 'mu'") {
  Finding F;
  F.Check = "lockgraph-lock-across-await";
  F.Message = std::move(Message);
  F.Where = SourcePoint{std::move(File), Line, 3, std::move(LineText)};
  return F;
}

CheckReport report(std::vector<Finding> Findings, std::string Root = "/src") {
  CheckReport R;
  R.SourceRoot = std::move(Root);
  R.Findings = std::move(Findings);
  R.finalize();
  return R;
}

/// The baseline as a later run sees it: written to JSON and parsed back.
Baseline recorded(const CheckReport &Old) {
  std::string Text = llvm::formatv("{0:2}", baselineJson(Old)).str();
  llvm::Expected<Baseline> B = parseBaseline(Text);
  EXPECT_TRUE(bool(B)) << (B ? "" : llvm::toString(B.takeError()));
  return B ? std::move(*B) : Baseline{};
}

std::vector<unsigned> linesLeft(CheckReport New, const Baseline &B,
                                unsigned ExpectSuppressed) {
  EXPECT_EQ(B.suppressKnown(New), ExpectSuppressed);
  std::vector<unsigned> Lines;
  for (const Finding &F : New.Findings)
    Lines.push_back(F.Where->Line);
  return Lines;
}

TEST(Baseline, AcceptsAFindingWhoseLineMoved) {
  Baseline B = recorded(report({finding("/src/a.cpp", 10, "  co_await x;")}));
  EXPECT_TRUE(linesLeft(report({finding("/src/a.cpp", 31, "  co_await x;")}), B, 1).empty());
}

TEST(Baseline, CodeInsertedAboveKeepsOldFindingsAcceptedAndShowsTheNewOne) {
  Baseline B = recorded(report({finding("/src/a.cpp", 10, "co_await x;"),
                                finding("/src/a.cpp", 20, "co_await y;")}));
  // Five lines inserted at the top, one of them a new bug.
  CheckReport Now = report({finding("/src/a.cpp", 3, "co_await z;"),
                            finding("/src/a.cpp", 15, "co_await x;"),
                            finding("/src/a.cpp", 25, "co_await y;")});
  EXPECT_EQ(linesLeft(Now, B, 2), std::vector<unsigned>{3});
}

TEST(Baseline, IgnoresLineNumbersInsideTheMessage) {
  Baseline B = recorded(report({finding(
      "/src/a.cpp", 10, "co_await x;", "lock 'mu' of (lambda at /src/a.cpp:12:5) held; see line 12")}));
  CheckReport Now = report({finding(
      "/src/a.cpp", 14, "co_await x;", "lock 'mu' of (lambda at /src/a.cpp:16:5) held; see line 16")});
  EXPECT_TRUE(linesLeft(Now, B, 1).empty());
}

TEST(Baseline, AnotherLockInTheMessageIsANewFinding) {
  Baseline B = recorded(report({finding("/src/a.cpp", 10, "co_await x;", "holding lock 'mu'")}));
  CheckReport Now = report({finding("/src/a.cpp", 10, "co_await x;", "holding lock 'other'")});
  EXPECT_EQ(linesLeft(Now, B, 0), std::vector<unsigned>{10});
}

TEST(Baseline, AnEditedLineIsANewFinding) {
  Baseline B = recorded(report({finding("/src/a.cpp", 10, "co_await x;")}));
  EXPECT_EQ(linesLeft(report({finding("/src/a.cpp", 10, "co_await x();")}), B, 0),
            std::vector<unsigned>{10});
}

TEST(Baseline, MatchesDuplicatesByCount) {
  Baseline B = recorded(report({finding("/src/a.cpp", 10, "co_await x;"),
                                finding("/src/a.cpp", 20, "co_await x;")}));
  // A third identical line: one more than the baseline accepts.
  CheckReport Three = report({finding("/src/a.cpp", 10, "co_await x;"),
                              finding("/src/a.cpp", 20, "co_await x;"),
                              finding("/src/a.cpp", 30, "co_await x;")});
  EXPECT_EQ(linesLeft(Three, B, 2).size(), 1u);
  // One of the two fixed: the other stays accepted.
  EXPECT_TRUE(linesLeft(report({finding("/src/a.cpp", 20, "co_await x;")}), B, 1).empty());
}

TEST(Baseline, TheSameFindingInAnotherFileIsNew) {
  Baseline B = recorded(report({finding("/src/a.cpp", 10, "co_await x;")}));
  EXPECT_EQ(linesLeft(report({finding("/src/b.cpp", 10, "co_await x;")}), B, 0),
            std::vector<unsigned>{10});
}

TEST(Baseline, WorksInAnotherCheckout) {
  Baseline B = recorded(report({finding("/home/me/p/src/a.cpp", 10, "co_await x;")}, "/home/me/p"));
  CheckReport Now = report({finding("/ci/work/src/a.cpp", 12, "co_await x;")}, "/ci/work");
  EXPECT_TRUE(linesLeft(Now, B, 1).empty());
}

TEST(Baseline, FileRecordsRelativePathsAndReadableFields) {
  llvm::json::Value V = baselineJson(report({finding("/src/sub/a.cpp", 10, "co_await x;")}));
  const llvm::json::Object &O = *V.getAsObject();
  EXPECT_EQ(O.getString("format"), "lockgraph_baseline");
  EXPECT_EQ(O.getInteger("version"), BaselineFormatVersion);
  const llvm::json::Object &Entry = *O.getArray("findings")->front().getAsObject();
  EXPECT_EQ(Entry.getString("file"), "sub/a.cpp");
  EXPECT_EQ(Entry.getString("check"), "lockgraph-lock-across-await");
  EXPECT_EQ(Entry.getInteger("line"), 10);
  EXPECT_EQ(Entry.getString("fingerprint")->size(), 32u);
}

std::string parseError(llvm::StringRef Text) {
  llvm::Expected<Baseline> B = parseBaseline(Text);
  return B ? "" : llvm::toString(B.takeError());
}

TEST(BaselineParse, RejectsTextThatIsNotJson) {
  EXPECT_NE(parseError("{\"format\": ").find("not valid JSON"), std::string::npos);
}

TEST(BaselineParse, RejectsOtherJson) {
  EXPECT_NE(parseError(R"({"version": 1, "findings": []})").find("not a lockgraph baseline"),
            std::string::npos);
}

TEST(BaselineParse, RejectsAnotherVersion) {
  EXPECT_NE(parseError(R"({"format": "lockgraph_baseline", "version": 2, "findings": []})")
                .find("baseline version 2 is not the supported version 1"),
            std::string::npos);
}

TEST(BaselineParse, NamesTheMalformedEntry) {
  std::string Error = parseError(
      R"({"format": "lockgraph_baseline", "version": 1, "findings": [
           {"check": "c", "file": "a.cpp", "fingerprint": "f"}, {"check": "c", "file": 3}]})");
  EXPECT_NE(Error.find("findings[1].file"), std::string::npos) << Error;
}

TEST(BaselineParse, RequiresTheFindingsArray) {
  EXPECT_NE(parseError(R"({"format": "lockgraph_baseline", "version": 1})").find("findings"),
            std::string::npos);
}

} // namespace
