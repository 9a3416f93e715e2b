#include "Findings.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SHA256.h"

#include <algorithm>
#include <tuple>

namespace lockgraph {

const char *severityName(Severity S) {
  switch (S) {
  case Severity::Note: return "note";
  case Severity::Warning: return "warning";
  case Severity::Error: return "error";
  }
  return "warning";
}

bool CheckReport::findingsFail() const {
  if (!FailOnlyOnErrors)
    return !Findings.empty();
  return std::any_of(Findings.begin(), Findings.end(), [](const Finding &F) { return F.Level == Severity::Error; });
}

static auto sortKey(const Finding &F) {
  static const SourcePoint NoWhere;
  const SourcePoint &P = F.Where ? *F.Where : NoWhere;
  return std::tie(P.File, P.Line, P.Column, F.Check, F.Message);
}

static bool sameFinding(const Finding &A, const Finding &B) {
  if (sortKey(A) != sortKey(B) || A.Notes.size() != B.Notes.size())
    return false;
  for (size_t I = 0; I < A.Notes.size(); ++I) {
    const FindingNote &NA = A.Notes[I], &NB = B.Notes[I];
    if (NA.Message != NB.Message || NA.Where.has_value() != NB.Where.has_value())
      return false;
    if (NA.Where && (NA.Where->File != NB.Where->File ||
                     NA.Where->Line != NB.Where->Line ||
                     NA.Where->Column != NB.Where->Column))
      return false;
  }
  return true;
}

void CheckReport::finalize() {
  std::stable_sort(Findings.begin(), Findings.end(),
                   [](const Finding &A, const Finding &B) {
                     return sortKey(A) < sortKey(B);
                   });
  Findings.erase(std::unique(Findings.begin(), Findings.end(), sameFinding),
                 Findings.end());

  llvm::StringMap<unsigned> SeenBefore;
  for (Finding &F : Findings) {
    std::string Base = computeFingerprint(F, SourceRoot, 0);
    unsigned Occurrence = SeenBefore[Base]++;
    F.Fingerprint =
        Occurrence == 0 ? Base : computeFingerprint(F, SourceRoot, Occurrence);
  }
}

std::string pathRelativeTo(const std::string &Path, const std::string &Root) {
  if (Root.empty())
    return Path;
  llvm::StringRef Rest(Path);
  if (!Rest.consume_front(Root))
    return Path;
  if (Rest.empty() || !llvm::sys::path::is_separator(Rest.front()))
    return Path; // "/a/bc" is not inside "/a/b"
  return Rest.drop_front().str();
}

static std::string collapseWhitespace(llvm::StringRef Text) {
  std::string Out;
  bool PendingSpace = false;
  for (char C : Text.trim()) {
    if (llvm::isSpace(C)) {
      PendingSpace = true;
      continue;
    }
    if (PendingSpace)
      Out += ' ';
    PendingSpace = false;
    Out += C;
  }
  return Out;
}

/// Line numbers inside a message ("(lambda at /src/a.cpp:12:5)", "line 40")
/// move with unrelated edits, and the checkout's location differs between
/// machines: both are dropped ("(lambda at a.cpp::)", "line").
std::string messageForFingerprint(llvm::StringRef Message,
                                  const std::string &SourceRoot) {
  std::string Out;
  std::string RootPrefix = SourceRoot.empty() ? "" : SourceRoot + "/";
  while (!Message.empty()) {
    if (!RootPrefix.empty() && Message.consume_front(RootPrefix))
      continue;
    bool AfterColon = Message.front() == ':';
    bool AfterLineWord = Message.starts_with("line ") &&
                         (Out.empty() || !llvm::isAlnum(Out.back()));
    if (AfterColon || AfterLineWord) {
      llvm::StringRef Lead = Message.take_front(AfterColon ? 1 : 4);
      llvm::StringRef Rest = Message.drop_front(Lead.size());
      if (AfterLineWord)
        Rest = Rest.ltrim(' ');
      if (!Rest.empty() && llvm::isDigit(Rest.front())) {
        Out += Lead;
        Message = Rest.drop_while(llvm::isDigit);
        continue;
      }
    }
    Out += Message.front();
    Message = Message.drop_front();
  }
  return Out;
}

std::string computeFingerprint(const Finding &F, const std::string &SourceRoot,
                               unsigned Occurrence) {
  llvm::SHA256 Hash;
  // Fields are separated by a byte that cannot occur in any of them, so
  // ("ab", "c") and ("a", "bc") hash differently.
  auto Field = [&Hash](llvm::StringRef Text) {
    Hash.update(Text);
    Hash.update(llvm::StringRef("\0", 1));
  };
  Field(F.Check);
  Field(F.Where ? pathRelativeTo(F.Where->File, SourceRoot) : "");
  Field(F.Where ? collapseWhitespace(F.Where->LineText) : "");
  Field(messageForFingerprint(F.Message, SourceRoot));
  Field(std::to_string(Occurrence));
  std::array<uint8_t, 32> Digest = Hash.final();
  return llvm::toHex(llvm::ArrayRef<uint8_t>(Digest.data(), 16),
                     /*LowerCase=*/true);
}

} // namespace lockgraph
