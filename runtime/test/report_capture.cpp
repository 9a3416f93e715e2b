#include "report_capture.h"

#include "detector.h"
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
