#include "lock_wrappers.h"

#include "os.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace lockgraph::rt {

std::atomic<bool> lockWrappersOutOfLine{false};

namespace {

struct Range {
  std::uintptr_t begin, end;
};

// Filled once at start-up, read without a lock afterwards.
constexpr std::uint32_t kMaxWrappers = 1u << 18;
Range* wrappers = nullptr;
std::uint32_t wrapperCount = 0;

bool startsWith(const char* s, const char* prefix) {
  return std::strncmp(s, prefix, std::strlen(prefix)) == 0;
}
bool endsWith(const char* s, std::size_t length, const char* suffix) {
  std::size_t n = std::strlen(suffix);
  return length >= n && std::memcmp(s + length - n, suffix, n) == 0;
}

// A plain name: C functions, and C++ functions outside any namespace
// (static ones such as __gthread_mutex_lock, mangled _ZL20__gthread_...).
Role roleOfPlainName(const char* name, std::size_t length) {
  if ((length >= 9 && std::memcmp(name, "__gthread", 9) == 0) ||
      (length >= 10 && std::memcmp(name, "__glibcxx_", 10) == 0)) {
    for (std::size_t i = 0; i + 4 <= length; ++i)
      if (std::memcmp(name + i, "lock", 4) == 0)
        return Role::locks;
    return Role::wrapper;
  }
  if (length >= 8 && std::memcmp(name, "pthread_", 8) == 0)
    return Role::wrapper;
  return Role::none;
}

// Itanium-mangled names, read only as far as the families need: the std
// and __gnu_cxx namespaces, lockgraph's wrappers (not its runtime), and
// the plain names above.
} // namespace

Role roleOfSymbol(const char* symbol) {
  std::size_t length = std::strlen(symbol);
  if (!startsWith(symbol, "_Z"))
    return roleOfPlainName(symbol, length);
  const char* p = symbol + 2;
  if (*p == 'L')
    ++p;
  if (startsWith(p, "St"))
    return Role::wrapper; // std::function
  bool nested = *p == 'N';
  if (nested) {
    ++p;
    while (*p == 'K' || *p == 'V' || *p == 'r' || *p == 'R' || *p == 'O')
      ++p;
    if (startsWith(p, "St")) {
      // A std class's lock member (std::mutex::lock() at -O1) calls the lock.
      bool locks = endsWith(symbol, length, "4lockEv") || endsWith(symbol, length, "11lock_sharedEv");
      return locks ? Role::locks : Role::wrapper;
    }
  }
  if (*p < '0' || *p > '9')
    return Role::none;
  std::size_t n = 0;
  while (*p >= '0' && *p <= '9')
    n = n * 10 + static_cast<std::size_t>(*p++ - '0');
  if (n > std::strlen(p))
    return Role::none;
  if (!nested)
    return roleOfPlainName(p, n);
  if (n == 9 && std::memcmp(p, "__gnu_cxx", 9) == 0)
    return Role::wrapper;
  if (n == 9 && std::memcmp(p, "lockgraph", 9) == 0) {
    if (startsWith(p + 9, "2rt"))
      return Role::none; // the runtime itself: never above the entry point
    bool locks = startsWith(p + 9, "6detail") &&
                 (endsWith(symbol, length, "4lockEv") || endsWith(symbol, length, "11lock_sharedEv"));
    return locks ? Role::locks : Role::wrapper;
  }
  return Role::none;
}

namespace {

void addWrapper(std::uintptr_t begin, std::uintptr_t size) {
  if (wrappers == nullptr)
    wrappers = static_cast<Range*>(mapPages(sizeof(Range) * kMaxWrappers));
  if (wrapperCount < kMaxWrappers)
    wrappers[wrapperCount++] = Range{begin, begin + size};
}

// The symbol table of one module's file; `bias` is where it is loaded.
void scanSymbols(const char* base, std::size_t size, std::uintptr_t bias) {
  if (size < sizeof(ElfW(Ehdr)))
    return;
  const auto* header = reinterpret_cast<const ElfW(Ehdr)*>(base);
  if (std::memcmp(header->e_ident, ELFMAG, SELFMAG) != 0 || header->e_ident[EI_CLASS] != ELFCLASS64 ||
      header->e_shentsize != sizeof(ElfW(Shdr)) ||
      header->e_shoff + std::uint64_t{header->e_shnum} * sizeof(ElfW(Shdr)) > size)
    return;
  const auto* sections = reinterpret_cast<const ElfW(Shdr)*>(base + header->e_shoff);
  for (unsigned s = 0; s < header->e_shnum; ++s) {
    const ElfW(Shdr)& table = sections[s];
    if (table.sh_type != SHT_SYMTAB || table.sh_link >= header->e_shnum ||
        table.sh_offset + table.sh_size > size || table.sh_entsize != sizeof(ElfW(Sym)))
      continue;
    const ElfW(Shdr)& strings = sections[table.sh_link];
    if (strings.sh_offset + strings.sh_size > size || strings.sh_size == 0 ||
        base[strings.sh_offset + strings.sh_size - 1] != '\0')
      continue;
    const char* names = base + strings.sh_offset;
    const auto* symbols = reinterpret_cast<const ElfW(Sym)*>(base + table.sh_offset);
    std::size_t count = table.sh_size / sizeof(ElfW(Sym));
    for (std::size_t i = 0; i < count; ++i) {
      const ElfW(Sym)& sym = symbols[i];
      if (ELF64_ST_TYPE(sym.st_info) != STT_FUNC || sym.st_size == 0 || sym.st_shndx == SHN_UNDEF ||
          sym.st_name >= strings.sh_size)
        continue;
      Role role = roleOfSymbol(names + sym.st_name);
      if (role == Role::none)
        continue;
      addWrapper(bias + sym.st_value, sym.st_size);
      if (role == Role::locks)
        lockWrappersOutOfLine.store(true, std::memory_order_relaxed);
    }
  }
}

void scanModuleFile(const char* path, std::uintptr_t bias) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return;
  struct stat st;
  void* mapped = MAP_FAILED;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
    mapped = mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  if (mapped == MAP_FAILED)
    return;
  scanSymbols(static_cast<const char*>(mapped), static_cast<std::size_t>(st.st_size), bias);
  munmap(mapped, static_cast<std::size_t>(st.st_size));
}

struct LoadedModules {
  static constexpr int kMax = 256;
  std::uintptr_t bias[kMax];
  char path[kMax][512];
  int count = 0;
};

// Copies the list out first: the files are read outside the loader's lock.
int noteModule(dl_phdr_info* info, std::size_t, void* data) {
  auto* out = static_cast<LoadedModules*>(data);
  if (out->count == LoadedModules::kMax)
    return 1;
  const char* name = info->dlpi_name && *info->dlpi_name ? info->dlpi_name : nullptr;
  if (name == nullptr && out->count > 0)
    return 0; // the vDSO: nothing on disk
  const char* path = name ? name : "/proc/self/exe"; // the first entry is the executable
  if (std::strlen(path) >= sizeof out->path[0])
    return 0;
  std::strcpy(out->path[out->count], path);
  out->bias[out->count++] = info->dlpi_addr;
  return 0;
}

} // namespace

void findLockWrappers() {
#if defined(__x86_64__)
  auto* modules = static_cast<LoadedModules*>(mapPages(sizeof(LoadedModules)));
  dl_iterate_phdr(noteModule, modules);
  for (int i = 0; i < modules->count; ++i)
    scanModuleFile(modules->path[i], modules->bias[i]);
  unmapPages(modules, sizeof(LoadedModules));
  std::sort(wrappers, wrappers + wrapperCount,
            [](const Range& a, const Range& b) { return a.begin < b.begin; });
#endif
}

bool insideLockWrapper(const void* pc) {
  auto address = reinterpret_cast<std::uintptr_t>(pc);
  // pc is a return address: the call it returns from is just before it.
  const Range* begin = wrappers;
  const Range* after = std::upper_bound(begin, begin + wrapperCount, address - 1,
                                        [](std::uintptr_t a, const Range& r) { return a < r.begin; });
  return after != begin && address - 1 < after[-1].end;
}

bool isLockWrapperName(const char* f) {
  static const char* const prefixes[] = {"lockgraph::", "std::",       "pthread_",  "__gthread",
                                         "__glibcxx_",  "__gnu_cxx::", "void std::", "bool std::"};
  if (startsWith(f, "lockgraph::rt::testing"))
    return false; // the unit tests' stand-ins for program functions
  for (const char* p : prefixes)
    if (startsWith(f, p))
      return true;
  return false;
}

} // namespace lockgraph::rt
