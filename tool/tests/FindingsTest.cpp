#include "Findings.h"

#include <gtest/gtest.h>

using namespace lockgraph;

namespace {

Finding finding(std::string File, unsigned Line, std::string LineText,
                std::string Message = "lock 'm' is held",
                std::string Check = "lockgraph-lock-across-await") {
  Finding F;
  F.Check = std::move(Check);
  F.Message = std::move(Message);
  F.Where = SourcePoint{std::move(File), Line, 3, std::move(LineText)};
  return F;
}

std::string fingerprintOf(Finding F, const std::string &Root = "/src") {
  CheckReport R;
  R.SourceRoot = Root;
  R.Findings.push_back(std::move(F));
  R.finalize();
  return R.Findings.front().Fingerprint;
}

TEST(Fingerprint, IsThirtyTwoHexDigits) {
  std::string Print = fingerprintOf(finding("/src/a.cpp", 10, "  co_await x;"));
  EXPECT_EQ(Print.size(), 32u);
  EXPECT_EQ(Print.find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST(Fingerprint, DoesNotDependOnTheLineNumber) {
  EXPECT_EQ(fingerprintOf(finding("/src/a.cpp", 10, "  co_await x;")),
            fingerprintOf(finding("/src/a.cpp", 42, "  co_await x;")));
}

TEST(Fingerprint, DoesNotDependOnIndentationOrSpacing) {
  EXPECT_EQ(fingerprintOf(finding("/src/a.cpp", 10, "  co_await   x;")),
            fingerprintOf(finding("/src/a.cpp", 10, "\tco_await x;  ")));
}

TEST(Fingerprint, DoesNotDependOnWhereTheCheckoutLives) {
  EXPECT_EQ(fingerprintOf(finding("/home/a/src/x.cpp", 1, "co_await x;"), "/home/a"),
            fingerprintOf(finding("/ci/work/src/x.cpp", 1, "co_await x;"), "/ci/work"));
}

TEST(Fingerprint, ChangesWithTheLineTextFileCheckOrMessage) {
  std::string Base = fingerprintOf(finding("/src/a.cpp", 10, "co_await x;"));
  EXPECT_NE(Base, fingerprintOf(finding("/src/a.cpp", 10, "co_await y;")));
  EXPECT_NE(Base, fingerprintOf(finding("/src/b.cpp", 10, "co_await x;")));
  EXPECT_NE(Base, fingerprintOf(finding("/src/a.cpp", 10, "co_await x;",
                                        "lock 'n' is held")));
  EXPECT_NE(Base, fingerprintOf(finding("/src/a.cpp", 10, "co_await x;",
                                        "lock 'm' is held", "lockgraph-double-lock")));
}

TEST(Fingerprint, FieldsCannotRunIntoEachOther) {
  EXPECT_NE(fingerprintOf(finding("/src/a.cpp", 1, "ab", "c")),
            fingerprintOf(finding("/src/a.cpp", 1, "a", "bc")));
}

TEST(Fingerprint, IdenticalLinesInOneFileGetDistinctFingerprints) {
  CheckReport R;
  R.SourceRoot = "/src";
  R.Findings = {finding("/src/a.cpp", 10, "co_await x;"),
                finding("/src/a.cpp", 20, "co_await x;")};
  R.finalize();
  ASSERT_EQ(R.Findings.size(), 2u);
  EXPECT_NE(R.Findings[0].Fingerprint, R.Findings[1].Fingerprint);
  // The first keeps the fingerprint it has when it is alone.
  EXPECT_EQ(R.Findings[0].Fingerprint,
            fingerprintOf(finding("/src/a.cpp", 10, "co_await x;")));
}

TEST(MessageForFingerprint, DropsLineNumbersAndTheSourceRoot) {
  EXPECT_EQ(messageForFingerprint("lock 'm' in (lambda at /src/a.cpp:12:5), see line 40", "/src"),
            "lock 'm' in (lambda at a.cpp::), see line");
}

TEST(MessageForFingerprint, KeepsOtherNumbersAndWords) {
  EXPECT_EQ(messageForFingerprint("spans 12 statements (more than 10); pipeline 3: std::chrono", "/src"),
            "spans 12 statements (more than 10); pipeline 3: std::chrono");
}

TEST(Finalize, SortsByFileLineAndColumn) {
  CheckReport R;
  R.Findings = {finding("/src/b.cpp", 1, "x"), finding("/src/a.cpp", 9, "y"),
                finding("/src/a.cpp", 2, "z")};
  R.finalize();
  EXPECT_EQ(R.Findings[0].Where->Line, 2u);
  EXPECT_EQ(R.Findings[1].Where->Line, 9u);
  EXPECT_EQ(R.Findings[2].Where->File, "/src/b.cpp");
}

TEST(Finalize, DropsExactDuplicatesButKeepsFindingsThatDifferInNotes) {
  Finding WithNote = finding("/src/a.h", 5, "co_await x;");
  WithNote.Notes.push_back({"acquired here", SourcePoint{"/src/a.h", 3, 1, "g"}});
  Finding OtherNote = WithNote;
  OtherNote.Notes[0].Where->Line = 4;

  CheckReport R;
  R.Findings = {WithNote, WithNote, OtherNote};
  R.finalize();
  EXPECT_EQ(R.Findings.size(), 2u);
}

TEST(PathRelativeTo, StripsTheRootOnlyAtAPathBoundary) {
  EXPECT_EQ(pathRelativeTo("/a/b/c.cpp", "/a/b"), "c.cpp");
  EXPECT_EQ(pathRelativeTo("/a/bc/d.cpp", "/a/b"), "/a/bc/d.cpp");
  EXPECT_EQ(pathRelativeTo("/x/y.cpp", "/a"), "/x/y.cpp");
  EXPECT_EQ(pathRelativeTo("/a/b", "/a/b"), "/a/b");
  EXPECT_EQ(pathRelativeTo("/a/b.cpp", ""), "/a/b.cpp");
}

} // namespace
