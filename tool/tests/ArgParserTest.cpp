#include "ArgParser.h"

#include <gtest/gtest.h>

using namespace lockgraph;

namespace {

const OptionSpec Specs[] = {
    {"checks", "GLOB", "checks"},
    {"p", "DIR", "build dir"},
    {"jobs", "N", "jobs", "j"},
    {"quiet", "", "quiet"},
    {"help", "", "help", "h"},
};

ParsedArgs parse(std::vector<std::string> Args) {
  auto Parsed = parseArgs(Specs, Args);
  EXPECT_TRUE(static_cast<bool>(Parsed)) << llvm::toString(Parsed.takeError());
  return Parsed ? std::move(*Parsed) : ParsedArgs();
}

std::string parseError(std::vector<std::string> Args) {
  auto Parsed = parseArgs(Specs, Args);
  if (Parsed)
    return "";
  return llvm::toString(Parsed.takeError());
}

TEST(ArgParser, LongOptionsTakeTheirValueAfterEqualsOrAsTheNextArgument) {
  EXPECT_EQ(parse({"--checks=a,b"}).last("checks"), "a,b");
  EXPECT_EQ(parse({"--checks", "a,b"}).last("checks"), "a,b");
}

TEST(ArgParser, LongOptionsAlsoWorkWithOneDashLikeClangTidy) {
  EXPECT_EQ(parse({"-checks=x"}).last("checks"), "x");
}

TEST(ArgParser, OneLetterOptionsTakeAGluedOrSeparateValue) {
  EXPECT_EQ(parse({"-pbuild"}).last("p"), "build");
  EXPECT_EQ(parse({"-p", "build"}).last("p"), "build");
  EXPECT_EQ(parse({"-j4"}).last("jobs"), "4");
}

TEST(ArgParser, AnAliasIsReportedUnderTheLongName) {
  ParsedArgs A = parse({"-j", "3", "-h"});
  EXPECT_EQ(A.last("jobs"), "3");
  EXPECT_TRUE(A.has("help"));
}

TEST(ArgParser, TheLastOccurrenceWinsAndAllAreKept) {
  ParsedArgs A = parse({"--checks=a", "--checks=b"});
  EXPECT_EQ(A.last("checks"), "b");
  EXPECT_EQ(A.all("checks"), (std::vector<std::string>{"a", "b"}));
}

TEST(ArgParser, EverythingAfterDoubleDashIsKeptVerbatim) {
  ParsedArgs A = parse({"a.cpp", "--", "-std=c++20", "--checks=not-an-option"});
  EXPECT_EQ(A.Positionals, std::vector<std::string>{"a.cpp"});
  ASSERT_TRUE(A.AfterDashDash.has_value());
  EXPECT_EQ(*A.AfterDashDash,
            (std::vector<std::string>{"-std=c++20", "--checks=not-an-option"}));
  EXPECT_FALSE(A.has("checks"));
}

TEST(ArgParser, NoDoubleDashMeansNoCompilerFlags) {
  EXPECT_FALSE(parse({"a.cpp"}).AfterDashDash.has_value());
  ASSERT_TRUE(parse({"a.cpp", "--"}).AfterDashDash.has_value());
  EXPECT_TRUE(parse({"a.cpp", "--"}).AfterDashDash->empty());
}

TEST(ArgParser, ALoneDashIsAPositional) {
  EXPECT_EQ(parse({"-"}).Positionals, std::vector<std::string>{"-"});
}

TEST(ArgParser, UnknownOptionsAreErrorsNamingTheArgument) {
  EXPECT_EQ(parseError({"--frobnicate"}), "unknown option '--frobnicate'");
  EXPECT_EQ(parseError({"-x"}), "unknown option '-x'");
}

TEST(ArgParser, AMissingValueIsAnError) {
  EXPECT_EQ(parseError({"--checks"}), "option '--checks' needs a value (GLOB)");
}

TEST(ArgParser, AFlagGivenAValueIsAnError) {
  EXPECT_EQ(parseError({"--quiet=1"}), "option 'quiet' takes no value, got '--quiet=1'");
}

TEST(ArgParser, HelpListsEverySpellingAligned) {
  std::string Help;
  llvm::raw_string_ostream OS(Help);
  printOptionHelp(OS, Specs);
  EXPECT_NE(Help.find("  --checks=GLOB  checks\n"), std::string::npos) << Help;
  EXPECT_NE(Help.find("  -p DIR         build dir\n"), std::string::npos) << Help;
  EXPECT_NE(Help.find("  -j, --jobs=N   jobs\n"), std::string::npos) << Help;
  EXPECT_NE(Help.find("  -h, --help     help\n"), std::string::npos) << Help;
}

} // namespace
