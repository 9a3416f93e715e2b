#include "SourceFiles.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

using namespace lockgraph;

namespace {

class SourceFilesTest : public ::testing::Test {
protected:
  std::string write(llvm::StringRef Text) {
    llvm::SmallString<128> Path;
    EXPECT_FALSE(llvm::sys::fs::createTemporaryFile("lockgraph_source", "cpp", Path));
    std::error_code EC;
    llvm::raw_fd_ostream OS(Path, EC);
    OS << Text;
    Created.push_back(std::string(Path));
    return std::string(Path);
  }
  void TearDown() override {
    for (const std::string &Path : Created)
      llvm::sys::fs::remove(Path);
  }
  std::vector<std::string> Created;
  SourceFiles Sources;
};

TEST_F(SourceFilesTest, TurnsAnOffsetIntoLineColumnAndLineText) {
  std::string File = write("first\n  second line\nthird");
  auto P = Sources.locate(File, 8); // the 'e' of "second"
  ASSERT_TRUE(P.has_value());
  EXPECT_EQ(P->File, File);
  EXPECT_EQ(P->Line, 2u);
  EXPECT_EQ(P->Column, 3u);
  EXPECT_EQ(P->LineText, "  second line");
}

TEST_F(SourceFilesTest, HandlesTheFirstAndALastLineWithoutNewline) {
  std::string File = write("first\nthird");
  EXPECT_EQ(Sources.locate(File, 0)->Line, 1u);
  auto Last = Sources.locate(File, 6);
  EXPECT_EQ(Last->Line, 2u);
  EXPECT_EQ(Last->Column, 1u);
  EXPECT_EQ(Last->LineText, "third");
}

TEST_F(SourceFilesTest, DropsTheCarriageReturnOfWindowsLineEnds) {
  std::string File = write("a\r\nbc\r\n");
  EXPECT_EQ(Sources.locate(File, 3)->LineText, "bc");
}

TEST_F(SourceFilesTest, GivesNothingForOffsetsPastTheEndOrUnreadableFiles) {
  std::string File = write("short");
  EXPECT_FALSE(Sources.locate(File, 100).has_value());
  EXPECT_FALSE(Sources.locate("/nonexistent/lockgraph/file.cpp", 0).has_value());
}

TEST(AbsolutePath, ResolvesAgainstTheBaseDirectoryAndRemovesDots) {
  EXPECT_EQ(absolutePath("../src/a.cpp", "/work/build"), "/work/src/a.cpp");
  EXPECT_EQ(absolutePath("/x/./y/../z.cpp", "/ignored"), "/x/z.cpp");
}

} // namespace
