//===- StaticLockMembers.cpp ----------------------------------------------===//

#include "StaticLockMembers.h"

#include "llvm/BinaryFormat/Dwarf.h"
#include "llvm/DebugInfo/DWARF/DWARFCompileUnit.h"
#include "llvm/DebugInfo/DWARF/DWARFContext.h"
#include "llvm/DebugInfo/DWARF/DWARFDie.h"
#include "llvm/DebugInfo/DWARF/DWARFFormValue.h"
#include "llvm/Object/ObjectFile.h"

#include <map>
#include <memory>

namespace lockgraph {
namespace {

using llvm::DWARFDie;
namespace dwarf = llvm::dwarf;

/// The type itself, without typedefs and qualifiers.
DWARFDie stripped(DWARFDie Type) {
  while (Type) {
    switch (Type.getTag()) {
    case dwarf::DW_TAG_typedef:
    case dwarf::DW_TAG_const_type:
    case dwarf::DW_TAG_volatile_type:
    case dwarf::DW_TAG_atomic_type:
      Type = Type.getAttributeValueAsReferencedDie(dwarf::DW_AT_type);
      continue;
    default:
      return Type.resolveTypeUnitReference();
    }
  }
  return Type;
}

/// A lock type, or the library's: the path stops there (`Store::a`, not
/// `Store::a.__mutex_base._M_mutex`).
bool isOpaque(DWARFDie Type) {
  if (!Type || Type.getTag() == dwarf::DW_TAG_union_type)
    return true;
  llvm::StringRef Name = Type.getShortName() ? Type.getShortName() : "";
  return Name.starts_with("__") || Name.starts_with("pthread_") || Name == "mutex" ||
         Name == "recursive_mutex" || Name == "timed_mutex" || Name == "shared_mutex" ||
         Name == "recursive_timed_mutex" || Name == "shared_timed_mutex";
}

/// The member of \p Type at \p Offset, as "Store::a", nested members after
/// dots, array elements as "[3]"; "" when the type does not say.
std::string memberAt(DWARFDie Type, uint64_t Offset, unsigned Depth = 0) {
  Type = stripped(Type);
  if (!Type || Depth > 16)
    return "";
  if (Type.getTag() == dwarf::DW_TAG_array_type) {
    DWARFDie Element = stripped(Type.getAttributeValueAsReferencedDie(dwarf::DW_AT_type));
    std::optional<uint64_t> Size = Element ? Element.getTypeSize(8) : std::nullopt;
    if (!Size || *Size == 0)
      return "";
    std::string Inner = isOpaque(Element) ? "" : memberAt(Element, Offset % *Size, Depth + 1);
    return "[" + std::to_string(Offset / *Size) + "]" + (Inner.empty() || Inner[0] == '[' ? Inner : "." + Inner);
  }
  if (Type.getTag() != dwarf::DW_TAG_structure_type && Type.getTag() != dwarf::DW_TAG_class_type)
    return "";
  for (DWARFDie Child : Type.children()) {
    if (Child.getTag() != dwarf::DW_TAG_member && Child.getTag() != dwarf::DW_TAG_inheritance)
      continue;
    std::optional<uint64_t> At = llvm::dwarf::toUnsigned(Child.find(dwarf::DW_AT_data_member_location));
    DWARFDie ChildType = stripped(Child.getAttributeValueAsReferencedDie(dwarf::DW_AT_type));
    std::optional<uint64_t> Size = ChildType ? ChildType.getTypeSize(8) : std::nullopt;
    if (!At || !Size || Offset < *At || Offset >= *At + *Size)
      continue;
    std::string Inner = isOpaque(ChildType) ? "" : memberAt(ChildType, Offset - *At, Depth + 1);
    if (Child.getTag() == dwarf::DW_TAG_inheritance)
      return Inner; // a base's member is the derived object's
    const char *Owner = Type.getShortName();
    std::string Name = std::string(Owner ? Owner : "") + "::" + (Child.getShortName() ? Child.getShortName() : "?");
    return Name + (Inner.empty() ? "" : Inner[0] == '[' ? Inner : "." + Inner);
  }
  return "";
}

/// One module's debug information, opened on first use.
class ModuleDebugInfo {
public:
  explicit ModuleDebugInfo(const std::string &Path) {
    auto Binary = llvm::object::ObjectFile::createObjectFile(Path);
    if (!Binary) {
      llvm::consumeError(Binary.takeError());
      return;
    }
    Object = std::make_unique<llvm::object::OwningBinary<llvm::object::ObjectFile>>(std::move(*Binary));
    Context = llvm::DWARFContext::create(*Object->getBinary(), llvm::DWARFContext::ProcessDebugRelocations::Process,
                                         nullptr, "", [](llvm::Error E) { llvm::consumeError(std::move(E)); },
                                         [](llvm::Error E) { llvm::consumeError(std::move(E)); });
  }

  /// The member at \p LockAddress (an address of the module as linked),
  /// \p Offset bytes into its variable.
  std::string memberOf(uint64_t LockAddress, uint64_t Offset) {
    if (!Context)
      return "";
    llvm::DWARFCompileUnit *Unit = Context->getCompileUnitForDataAddress(LockAddress);
    DWARFDie Variable = Unit ? Unit->getVariableForAddress(LockAddress) : DWARFDie();
    if (!Variable)
      return "";
    DWARFDie Type = Variable.getAttributeValueAsReferencedDie(dwarf::DW_AT_type);
    if (!Type)
      if (DWARFDie Declaration = Variable.getAttributeValueAsReferencedDie(dwarf::DW_AT_specification))
        Type = Declaration.getAttributeValueAsReferencedDie(dwarf::DW_AT_type);
    return memberAt(Type, Offset);
  }

private:
  std::unique_ptr<llvm::object::OwningBinary<llvm::object::ObjectFile>> Object;
  std::unique_ptr<llvm::DWARFContext> Context;
};

} // namespace

void nameStaticLockMembers(std::vector<RuntimeReport> &Reports) {
  std::map<std::string, std::unique_ptr<ModuleDebugInfo>> Modules;
  for (RuntimeReport &R : Reports)
    for (auto &[Key, Lock] : R.Locks) {
      if (Lock.Module.empty() || Lock.Variable.empty() || !Lock.ModuleOffset || !Lock.VariableOffset ||
          !Lock.Member.empty())
        continue;
      std::unique_ptr<ModuleDebugInfo> &Info = Modules[Lock.Module];
      if (!Info)
        Info = std::make_unique<ModuleDebugInfo>(Lock.Module);
      Lock.Member = Info->memberOf(*Lock.ModuleOffset, *Lock.VariableOffset);
    }
}

} // namespace lockgraph
