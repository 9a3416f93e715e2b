#include "options.h"

#include <gtest/gtest.h>

#include <cstring>

namespace lockgraph::rt {
namespace {

TEST(OptionsTest, ParsesEveryOption) {
  Options o;
  char error[256] = {};
  ASSERT_TRUE(parseOptions("report_path=/tmp/r.json:exitcode=3 halt_on_error=1:long_hold_ms=20:"
                           "deadlock_timeout_ms=500:stack_depth=8:stats=true:symbolize=0:"
                           "symbolizer_path=/bin/sym,report_graph=1:exit_on_deadlock=0:graph_dir=/tmp/graphs",
                           &o, error, sizeof(error)))
      << error;
  EXPECT_STREQ(o.reportPath, "/tmp/r.json");
  EXPECT_EQ(o.exitCode, 3);
  EXPECT_TRUE(o.haltOnError);
  EXPECT_EQ(o.longHoldMs, 20u);
  EXPECT_EQ(o.deadlockTimeoutMs, 500u);
  EXPECT_EQ(o.stackDepth, 8);
  EXPECT_TRUE(o.stats);
  EXPECT_FALSE(o.symbolize);
  EXPECT_STREQ(o.symbolizerPath, "/bin/sym");
  EXPECT_TRUE(o.reportGraph);
  EXPECT_FALSE(o.exitOnDeadlock);
  EXPECT_STREQ(o.graphDir, "/tmp/graphs");
}

TEST(OptionsTest, DefaultsMatchTheDocumentation) {
  Options o;
  EXPECT_EQ(o.exitCode, 66);
  EXPECT_FALSE(o.haltOnError);
  EXPECT_EQ(o.longHoldMs, 0u);
  EXPECT_EQ(o.deadlockTimeoutMs, 0u) << "lockgraph run sets 1000; the runtime itself does not";
  EXPECT_TRUE(o.exitOnDeadlock);
  EXPECT_EQ(o.stackDepth, 32);
  EXPECT_TRUE(o.symbolize);
  EXPECT_STREQ(o.graphDir, "");
}

TEST(OptionsTest, UnknownNameIsAnError) {
  Options o;
  char error[256] = {};
  EXPECT_FALSE(parseOptions("exitcode=1:frobnicate=2", &o, error, sizeof(error)));
  EXPECT_NE(std::strstr(error, "frobnicate"), nullptr);
  EXPECT_EQ(o.exitCode, 1) << "pairs before the bad one stay applied";
}

TEST(OptionsTest, MalformedValuesAreErrors) {
  Options o;
  char error[256];
  EXPECT_FALSE(parseOptions("exitcode=300", &o, error, sizeof(error)));
  EXPECT_FALSE(parseOptions("stack_depth=0", &o, error, sizeof(error)));
  EXPECT_FALSE(parseOptions("halt_on_error=maybe", &o, error, sizeof(error)));
  EXPECT_FALSE(parseOptions("long_hold_ms=-1", &o, error, sizeof(error)));
  EXPECT_FALSE(parseOptions("stats", &o, error, sizeof(error)));
  EXPECT_FALSE(parseOptions("exit_on_deadlock=sometimes", &o, error, sizeof(error)));
}

} // namespace
} // namespace lockgraph::rt
