//===- OutputFile.cpp -----------------------------------------------------===//

#include "OutputFile.h"

#include "llvm/ADT/SmallString.h"

namespace lockgraph {

static llvm::Error outputError(const std::string &Path, const llvm::Twine &Why) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), "cannot write '" + Path + "': " + Why);
}

llvm::Expected<std::unique_ptr<OutputFile>> OutputFile::open(const std::optional<std::string> &Path) {
  std::unique_ptr<OutputFile> Out(new OutputFile());
  if (!Path || *Path == "-")
    return Out;
  Out->Path = *Path;
  // Through a symbolic link the file it names is replaced, not the link.
  llvm::SmallString<256> Real;
  if (llvm::sys::fs::is_symlink_file(*Path) && !llvm::sys::fs::real_path(*Path, Real))
    Out->Path = std::string(Real);
  std::error_code EC;
  llvm::sys::fs::file_status Status;
  const std::string &Target = *Out->Path;
  bool Special = !llvm::sys::fs::status(Target, Status) && Status.type() != llvm::sys::fs::file_type::regular_file;
  if (Special) {
    Out->Stream = std::make_unique<llvm::raw_fd_ostream>(Target, EC, llvm::sys::fs::OF_Text);
    if (EC)
      return outputError(*Path, EC.message());
    return Out;
  }
  llvm::Expected<llvm::sys::fs::TempFile> Temp = llvm::sys::fs::TempFile::create(Target + ".tmp-%%%%%%");
  if (!Temp)
    return outputError(*Path, llvm::toString(Temp.takeError()));
  Out->Temp.emplace(std::move(*Temp));
  Out->Stream = std::make_unique<llvm::raw_fd_ostream>(Out->Temp->FD, /*shouldClose=*/false);
  return Out;
}

/// The temporary's descriptor belongs to the TempFile (keep and discard
/// close it); other files' to their stream.
static void finish(llvm::raw_fd_ostream &Stream, bool OwnsDescriptor) {
  if (OwnsDescriptor)
    Stream.close();
  else
    Stream.flush();
}

OutputFile::~OutputFile() {
  if (Stream) {
    finish(*Stream, !Temp);
    Stream->clear_error();
  }
  if (Temp)
    llvm::consumeError(Temp->discard());
}

llvm::Error OutputFile::commit() {
  if (!Path)
    return checkStandardOutput();
  finish(*Stream, !Temp);
  if (Stream->has_error()) {
    std::error_code EC = Stream->error();
    Stream->clear_error();
    return outputError(*Path, EC.message());
  }
  if (Temp) {
    llvm::Error Kept = Temp->keep(*Path);
    Temp.reset();
    if (Kept)
      return outputError(*Path, llvm::toString(std::move(Kept)));
  }
  return llvm::Error::success();
}

llvm::Error checkStandardOutput() {
  llvm::raw_fd_ostream &Out = llvm::outs();
  Out.flush();
  if (!Out.has_error())
    return llvm::Error::success();
  std::error_code EC = Out.error();
  Out.clear_error();
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "cannot write standard output: " + EC.message());
}

} // namespace lockgraph
