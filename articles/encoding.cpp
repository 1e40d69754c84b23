/** @file
 *  @brief Bytes to UTF-8 text: BOMs, binary and empty detection, charset detection and conversion, gzip.
 */
#include "articles/encoding.h"

#include <unicode/ucsdet.h>

#include <algorithm>
#include <memory>

#include "articles/stream.h"
#include "base/utf8.h"

namespace dateline {
namespace {

constexpr size_t kSniffBytes = 8192;        // binary check looks at the first 8 KiB, like git and grep
constexpr size_t kDetectBytes = 64 * 1024;  // ucsdet needs a sample, not the whole file

bool is_control(unsigned char c) {
  // Tab, LF, VT, FF, CR are text; ESC appears in terminal logs but still counts as control here.
  return (c < 0x20 && c != '\t' && c != '\n' && c != '\v' && c != '\f' && c != '\r') || c == 0x7F;
}

bool looks_binary(std::string_view bytes) {
  std::string_view sample = bytes.substr(0, kSniffBytes);
  if (sample.find('\0') != std::string_view::npos) return true;
  size_t controls = 0;
  for (char ch : sample) controls += is_control(static_cast<unsigned char>(ch)) ? 1 : 0;
  // Text has hardly any control bytes; random or compressed data has about one in eight.
  return sample.size() >= 16 && controls * 20 > sample.size();
}

bool is_blank(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == ' ' || (c >= '\t' && c <= '\r')) continue;
    if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xA0) {  // U+00A0
      ++i;
      continue;
    }
    if (text.compare(i, 3, reading::kUtf8Bom) == 0) {  // U+FEFF inside text
      i += 2;
      continue;
    }
    return false;
  }
  return true;
}

/// Converts `bytes` from `charset` to UTF-8 with ICU (stream.h's IcuDecoder, the streamed inputs' converter);
/// std::nullopt when ICU cannot.
std::optional<std::string> convert(std::string_view bytes, const char* charset) {
  reading::IcuDecoder decoder(charset, 0);
  if (!decoder.ok()) return std::nullopt;
  std::string out;
  decoder.decode(bytes, true, out);  // undecodable bytes become U+FFFD, never an error
  return out;
}

}  // namespace

std::string DecodedText::describe() const {
  switch (status) {
    case TextStatus::kRepaired:
      return "invalid UTF-8: " + std::to_string(replaced) + " byte sequence" + (replaced == 1 ? "" : "s") +
             " replaced by U+FFFD";
    case TextStatus::kConverted:
      if (confidence > 0)
        return "not UTF-8: converted from " + charset + " (detected, confidence " +
               std::to_string(confidence) + "%)";
      return "not UTF-8: converted from " + charset + " (assumed: detection was inconclusive)";
    case TextStatus::kEmpty:
      return "empty";
    case TextStatus::kBinary:
      return "binary file";
    case TextStatus::kUtf8:
      break;
  }
  return "";
}

bool is_valid_utf8(std::string_view bytes) {
  size_t i = 0;
  while (i < bytes.size()) {
    // ASCII fast path: most news text is ASCII for long stretches.
    while (i + 8 <= bytes.size()) {
      uint64_t word;
      std::copy_n(bytes.data() + i, 8, reinterpret_cast<char*>(&word));
      if ((word & 0x8080808080808080ULL) != 0) break;
      i += 8;
    }
    if (i >= bytes.size()) break;
    size_t n = utf8::sequence_length(bytes, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string repair_utf8(std::string_view bytes, size_t* replaced) {
  std::string out;
  out.reserve(bytes.size());
  size_t count = 0;
  size_t i = 0;
  while (i < bytes.size()) {
    size_t n = utf8::sequence_length(bytes, i);
    if (n > 0) {
      out.append(bytes.data() + i, n);
      i += n;
    } else {
      out += "\xEF\xBF\xBD";
      ++count;
      i += utf8::invalid_length(bytes, i);
    }
  }
  if (replaced != nullptr) *replaced = count;
  return out;
}

DecodedText decode_text(std::string_view bytes) {
  DecodedText result;
  result.charset = "UTF-8";
  if (bytes.substr(0, 3) == reading::kUtf8Bom) bytes.remove_prefix(3);

  // UTF-16 with a BOM is text although it is full of NUL bytes.
  if (bytes.size() >= 2 &&
      ((bytes[0] == '\xFF' && bytes[1] == '\xFE') || (bytes[0] == '\xFE' && bytes[1] == '\xFF'))) {
    const char* cs = bytes[0] == '\xFF' ? "UTF-16LE" : "UTF-16BE";
    if (auto text = convert(bytes.substr(2), cs)) {
      result.status = is_blank(*text) ? TextStatus::kEmpty : TextStatus::kConverted;
      if (result.status == TextStatus::kConverted) result.text = std::move(*text);
      result.charset = cs;
      result.confidence = 100;
      return result;
    }
  }
  if (looks_binary(bytes)) {
    result.status = TextStatus::kBinary;
    return result;
  }
  if (is_blank(bytes)) {
    result.status = TextStatus::kEmpty;
    return result;
  }
  if (is_valid_utf8(bytes)) {
    result.text.assign(bytes);
    return result;
  }

  // Not valid UTF-8. If most non-ASCII sequences are valid UTF-8, it is UTF-8 with a few bad bytes
  // (a truncated copy, a stray Latin-1 byte): repair. Otherwise it is some other charset.
  size_t valid_multibyte = 0, invalid = 0;
  for (size_t i = 0; i < bytes.size();) {
    if (static_cast<unsigned char>(bytes[i]) < 0x80) {
      ++i;
      continue;
    }
    size_t n = utf8::sequence_length(bytes, i);
    if (n > 0) {
      ++valid_multibyte;
      i += n;
    } else {
      ++invalid;
      i += utf8::invalid_length(bytes, i);
    }
  }
  if (valid_multibyte > 0 && valid_multibyte >= invalid) {
    result.status = TextStatus::kRepaired;
    result.text = repair_utf8(bytes, &result.replaced);
    return result;
  }

  std::string charset = "windows-1252";
  int confidence = 0;
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UCharsetDetector, void (*)(UCharsetDetector*)> det(ucsdet_open(&status), ucsdet_close);
  if (U_SUCCESS(status)) {
    std::string_view sample = bytes.substr(0, kDetectBytes);
    ucsdet_setText(det.get(), sample.data(), static_cast<int32_t>(sample.size()), &status);
    const UCharsetMatch* match = U_SUCCESS(status) ? ucsdet_detect(det.get(), &status) : nullptr;
    if (U_SUCCESS(status) && match != nullptr) {
      const char* name = ucsdet_getName(match, &status);
      int conf = ucsdet_getConfidence(match, &status);
      // A weak guess among the dozens ucsdet knows is worse than the usual suspect (windows-1252).
      if (U_SUCCESS(status) && name != nullptr && conf >= 10 && std::string_view(name) != "UTF-8") {
        charset = name;
        confidence = conf;
      }
    }
  }
  // ISO-8859-1 with bytes in 0x80-0x9F is windows-1252 (those are C1 controls in Latin-1, but curly
  // quotes and dashes in files that claim it): the WHATWG encoding standard reads it the same way.
  if (charset == "ISO-8859-1") {
    bool c1 = std::any_of(bytes.begin(), bytes.end(), [](char ch) {
      auto c = static_cast<unsigned char>(ch);
      return c >= 0x80 && c <= 0x9F;
    });
    if (c1) charset = "windows-1252";
  }
  auto text = convert(bytes, charset.c_str());
  if (!text && charset != "windows-1252") {
    charset = "windows-1252";
    confidence = 0;
    text = convert(bytes, charset.c_str());
  }
  if (!text) {  // ICU data missing: still never lose the text
    result.status = TextStatus::kRepaired;
    result.text = repair_utf8(bytes, &result.replaced);
    return result;
  }
  result.status = is_blank(*text) ? TextStatus::kEmpty : TextStatus::kConverted;
  if (result.status == TextStatus::kConverted) result.text = std::move(*text);
  result.charset = charset;
  result.confidence = confidence;
  return result;
}

bool is_gzip(std::string_view bytes) {
  return bytes.size() >= 2 && bytes[0] == '\x1F' && bytes[1] == '\x8B';
}

std::optional<std::string> gunzip(std::string_view bytes, std::string& error, size_t max_output) {
  // stream.h's GunzipSource over the buffer: the streamed inputs' inflater, so both read gzip alike.
  reading::MemorySource in(bytes);
  reading::GunzipSource gz(in, std::string());
  gz.set_limit(max_output);
  std::string out;
  out.reserve(std::min(max_output, bytes.size() * 4));
  while (gz.read(out, reading::kChunkBytes) > 0) {
  }
  if (!gz.error().empty()) {
    error = gz.error();
    return std::nullopt;
  }
  return out;
}

}  // namespace dateline
