#include "JsonOutput.h"
#include "SarifOutput.h"

#include "llvm/Support/JSON.h"

#include <gtest/gtest.h>

using namespace lockgraph;

namespace {

CheckReport reportWithOneFinding(std::string LineText, unsigned Column) {
  CheckReport R;
  R.SourceRoot = "/src";
  R.FilesAnalyzed = 1;
  R.EnabledChecks = {"lockgraph-lock-across-await"};
  Finding F;
  F.Check = "lockgraph-lock-across-await";
  F.Message = "'co_await' while holding lock 'm'";
  F.Where = SourcePoint{"/src/dir/a.cpp", 7, Column, std::move(LineText)};
  F.Notes.push_back({"'m' acquired here", SourcePoint{"/src/dir/a.cpp", 5, 3, "  g(m);"}});
  F.Notes.push_back({"a note without a place", std::nullopt});
  R.Findings.push_back(std::move(F));
  R.finalize();
  return R;
}

llvm::json::Value render(void (*Writer)(llvm::raw_ostream &, const CheckReport &),
                         const CheckReport &R) {
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  Writer(OS, R);
  auto Parsed = llvm::json::parse(Text);
  EXPECT_TRUE(static_cast<bool>(Parsed)) << llvm::toString(Parsed.takeError());
  return Parsed ? std::move(*Parsed) : llvm::json::Value(nullptr);
}

const llvm::json::Object &firstResult(const llvm::json::Value &Sarif) {
  return *Sarif.getAsObject()->getArray("runs")->front().getAsObject()
              ->getArray("results")->front().getAsObject();
}

TEST(SarifOutput, CountsColumnsInUtf16CodeUnits) {
  // "é" is 2 bytes / 1 unit, "😀" 4 bytes / 2 units: the x at byte column 8
  // is at UTF-16 column 5.
  auto Sarif = render(writeSarif, reportWithOneFinding("é😀 x y", 8));
  const auto &Region = *firstResult(Sarif)
                            .getArray("locations")->front().getAsObject()
                            ->getObject("physicalLocation")->getObject("region");
  EXPECT_EQ(Region.getInteger("startColumn"), 5);
  EXPECT_EQ(Region.getInteger("startLine"), 7);
}

TEST(SarifOutput, FilesUnderTheRootAreRelativeToSrcroot) {
  auto Sarif = render(writeSarif, reportWithOneFinding("co_await x;", 1));
  const auto &Artifact = *firstResult(Sarif)
                              .getArray("locations")->front().getAsObject()
                              ->getObject("physicalLocation")->getObject("artifactLocation");
  EXPECT_EQ(Artifact.getString("uri"), "dir/a.cpp");
  EXPECT_EQ(Artifact.getString("uriBaseId"), "SRCROOT");
  const auto &Run = *Sarif.getAsObject()->getArray("runs")->front().getAsObject();
  EXPECT_EQ(Run.getObject("originalUriBaseIds")->getObject("SRCROOT")->getString("uri"),
            "file:///src/");
}

TEST(SarifOutput, NotesBecomeRelatedLocationsInOrder) {
  auto Sarif = render(writeSarif, reportWithOneFinding("co_await x;", 1));
  const auto &Related = *firstResult(Sarif).getArray("relatedLocations");
  ASSERT_EQ(Related.size(), 2u);
  EXPECT_EQ(Related[0].getAsObject()->getInteger("id"), 0);
  EXPECT_TRUE(Related[0].getAsObject()->getObject("physicalLocation"));
  EXPECT_EQ(Related[1].getAsObject()->getInteger("id"), 1);
  EXPECT_FALSE(Related[1].getAsObject()->getObject("physicalLocation"));
}

TEST(SarifOutput, RulesCarryNameDescriptionAndHelpLink) {
  auto Sarif = render(writeSarif, reportWithOneFinding("co_await x;", 1));
  const auto &Rule = *Sarif.getAsObject()->getArray("runs")->front().getAsObject()
                          ->getObject("tool")->getObject("driver")
                          ->getArray("rules")->front().getAsObject();
  EXPECT_EQ(Rule.getString("id"), "lockgraph-lock-across-await");
  EXPECT_EQ(Rule.getString("name"), "LockAcrossAwait");
  EXPECT_TRUE(Rule.getObject("shortDescription"));
  EXPECT_EQ(Rule.getString("helpUri"),
            "https://docs.example/lockgraph/docs/checks/lockgraph-lock-across-await.md");
  EXPECT_EQ(firstResult(Sarif).getInteger("ruleIndex"), 0);
}

TEST(SarifOutput, FailuresAreToolNotificationsAndMakeTheRunUnsuccessful) {
  CheckReport R = reportWithOneFinding("co_await x;", 1);
  R.Failures.push_back({"/src/broken.cpp", "does not compile",
                        FindingNote{"expected ';'", std::nullopt}, 1});
  auto Sarif = render(writeSarif, R);
  const auto &Invocation = *Sarif.getAsObject()->getArray("runs")->front().getAsObject()
                                ->getArray("invocations")->front().getAsObject();
  EXPECT_EQ(Invocation.getBoolean("executionSuccessful"), false);
  const auto &Note = *Invocation.getArray("toolExecutionNotifications")->front().getAsObject();
  EXPECT_EQ(Note.getObject("message")->getString("text"),
            "'/src/broken.cpp' does not compile: expected ';'");
}

TEST(FileUri, PercentEncodesReservedCharacters) {
  EXPECT_EQ(fileUri("/a b/c#d%e.cpp"), "file:///a%20b/c%23d%25e.cpp");
  EXPECT_EQ(fileUri("/plain-path_1.2~/x.cpp"), "file:///plain-path_1.2~/x.cpp");
}

TEST(JsonOutput, FollowsTheDocumentedSchema) {
  auto Json = render(writeJson, reportWithOneFinding("co_await x;", 3));
  const auto &Root = *Json.getAsObject();
  EXPECT_EQ(Root.getInteger("version"), JsonFormatVersion);
  const auto &F = *Root.getArray("findings")->front().getAsObject();
  EXPECT_EQ(F.getString("check"), "lockgraph-lock-across-await");
  EXPECT_EQ(F.getString("severity"), "warning");
  EXPECT_EQ(F.getString("file"), "/src/dir/a.cpp");
  EXPECT_EQ(F.getInteger("line"), 7);
  EXPECT_EQ(F.getInteger("column"), 3);
  EXPECT_EQ(F.getString("fingerprint")->size(), 32u);
  const auto &Notes = *F.getArray("notes");
  ASSERT_EQ(Notes.size(), 2u);
  EXPECT_EQ(Notes[0].getAsObject()->getInteger("line"), 5);
  EXPECT_FALSE(Notes[1].getAsObject()->get("file"));
  EXPECT_EQ(Root.getObject("summary")->getInteger("findings"), 1);
}

} // namespace
