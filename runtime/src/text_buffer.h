// A growable character buffer in mmap'd memory, for building report text
// and JSON without malloc.
#pragma once

#include <cstddef>

namespace lockgraph::rt {

class TextBuffer {
public:
  TextBuffer() = default;
  TextBuffer(const TextBuffer&) = delete;
  TextBuffer& operator=(const TextBuffer&) = delete;
  ~TextBuffer();

  void append(const char* text);
  void append(const char* text, std::size_t n);
  __attribute__((format(printf, 2, 3))) void appendf(const char* format, ...);
  // Appends `text` as a JSON string literal, quotes included; null -> null.
  void appendJsonString(const char* text);
  void clear() { size_ = 0; }

  const char* data() const { return data_ ? data_ : ""; }
  std::size_t size() const { return size_; }

private:
  void reserve(std::size_t extra);
  char* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

} // namespace lockgraph::rt
