#include "text_buffer.h"

#include "os.h"

#include <cstdarg>
#include <cstdio>
#include <cstring>

namespace lockgraph::rt {

TextBuffer::~TextBuffer() {
  if (data_)
    unmapPages(data_, capacity_);
}

void TextBuffer::reserve(std::size_t extra) {
  if (size_ + extra + 1 <= capacity_)
    return;
  std::size_t next = capacity_ ? capacity_ * 2 : 1 << 14;
  while (next < size_ + extra + 1)
    next *= 2;
  char* bigger = static_cast<char*>(mapPages(next));
  if (data_) {
    std::memcpy(bigger, data_, size_);
    unmapPages(data_, capacity_);
  }
  data_ = bigger;
  capacity_ = next;
}

void TextBuffer::append(const char* text, std::size_t n) {
  reserve(n);
  std::memcpy(data_ + size_, text, n);
  size_ += n;
  data_[size_] = '\0';
}

void TextBuffer::append(const char* text) { append(text, std::strlen(text)); }

void TextBuffer::appendf(const char* format, ...) {
  char line[1024];
  va_list args;
  va_start(args, format);
  int n = std::vsnprintf(line, sizeof(line), format, args);
  va_end(args);
  if (n < 0)
    return;
  append(line, static_cast<std::size_t>(n) < sizeof(line) ? static_cast<std::size_t>(n) : sizeof(line) - 1);
}

void TextBuffer::appendJsonString(const char* text) {
  if (text == nullptr) {
    append("null");
    return;
  }
  append("\"");
  for (const char* p = text; *p; ++p) {
    unsigned char c = static_cast<unsigned char>(*p);
    if (c == '"' || c == '\\') {
      char escaped[2] = {'\\', static_cast<char>(c)};
      append(escaped, 2);
    } else if (c < 0x20) {
      appendf("\\u%04x", c);
    } else {
      append(p, 1);
    }
  }
  append("\"");
}

} // namespace lockgraph::rt
