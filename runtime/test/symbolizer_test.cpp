// Symbolization: one symbolizer process serves the whole run, and answers
// are cached per address.
#include "options.h"
#include "symbolizer.h"

#include <gtest/gtest.h>

#include <string>

namespace lockgraph::rt {
namespace {

// Distinct functions: each address is a new question for the symbolizer.
template <int N> __attribute__((noinline)) int distinctFunction() {
  asm volatile("");
  return N;
}

template <int... N> void addressesOf(std::integer_sequence<int, N...>, const void** out) {
  int i = 0;
  // +1: symbolize() takes return addresses and looks one byte back.
  ((out[i++] = reinterpret_cast<const char*>(&distinctFunction<N>) + 1), ...);
}

int globalCounter = 0;

TEST(Symbolizer, OneProcessAnswersEveryReportOfTheRun) {
  options().symbolize = true;
  const void* pcs[24];
  addressesOf(std::make_integer_sequence<int, 24>{}, pcs);
  std::uint32_t before = symbolizerProcessesStarted();
  SourceFrame frames[8];
  for (const void* pc : pcs) { // one report after another, each with a new address
    ASSERT_GE(symbolize(&pc, 1, frames, 8), 1u);
    ASSERT_NE(frames[0].function, nullptr);
    EXPECT_NE(std::string(frames[0].function).find("distinctFunction"), std::string::npos)
        << frames[0].function;
  }
  EXPECT_STREQ(symbolizeData(&globalCounter), "lockgraph::rt::(anonymous namespace)::globalCounter");
  EXPECT_LE(symbolizerProcessesStarted() - before, 1u);
  // Cached: asking again starts nothing and gives the same answer.
  std::uint32_t afterFirst = symbolizerProcessesStarted();
  ASSERT_GE(symbolize(&pcs[3], 1, frames, 8), 1u);
  EXPECT_NE(std::string(frames[0].function).find("distinctFunction<3>"), std::string::npos);
  EXPECT_EQ(symbolizerProcessesStarted(), afterFirst);
  options().symbolize = false;
}

} // namespace
} // namespace lockgraph::rt
