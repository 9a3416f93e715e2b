#include "report_capture.h"

#include "detector.h"
#include "lock_wrappers.h"
#include "options.h"

#include <mutex>

namespace lockgraph::rt::testing {

namespace {
std::mutex capturedMu; // a plain std::mutex: not instrumented here
std::vector<CapturedReport> captured;

void observe(const Report& r, const char* text) {
  std::lock_guard<std::mutex> guard(capturedMu);
  captured.push_back({r.kind, r.lockCount, r.edgeCount, r.threadCount, text});
}
} // namespace

void ReportCapture::SetUp() {
  ensureRuntimeInitialized();
  options().exitCode = 0;
  options().symbolize = false; // keeps the suite fast; one test symbolizes
  options().haltOnError = false;
  // This suite's build (-O3, many call sites) leaves lockgraph::mutex::lock
  // out of line, which turns the fast paths off for the walk to the
  // program's frame (program_site.h). Most tests here are about those fast
  // paths; the walk has tests of its own (lock_wrappers_test.cpp).
  lockWrappersOutOfLine.store(false);
  optionsChanged();
  setReportObserver(observe);
  std::lock_guard<std::mutex> guard(capturedMu);
  captured.clear();
}

void ReportCapture::TearDown() { setReportObserver(nullptr); }

std::vector<CapturedReport> ReportCapture::reportsOf(ReportKind kind) const {
  std::lock_guard<std::mutex> guard(capturedMu);
  std::vector<CapturedReport> out;
  for (auto& r : captured)
    if (r.kind == kind)
      out.push_back(r);
  return out;
}

std::vector<CapturedReport> ReportCapture::all() const {
  std::lock_guard<std::mutex> guard(capturedMu);
  return captured;
}

} // namespace lockgraph::rt::testing
