/** @file
 *  @brief Bytes to UTF-8 text: BOMs, binary and empty detection, charset detection and conversion, gzip.
 */
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace dateline {

/// What decode_text() made of a file's bytes.
enum class TextStatus {
  kUtf8,       ///< valid UTF-8 (a UTF-8 BOM, if any, dropped): used as is
  kRepaired,   ///< mostly valid UTF-8; the invalid bytes were replaced by U+FFFD
  kConverted,  ///< another charset, detected (ICU ucsdet) and converted to UTF-8
  kEmpty,      ///< nothing but whitespace: nothing to index
  kBinary,     ///< NUL bytes in the first 8 KiB or mostly control bytes: not text
};

/// The result of decode_text(). `text` is valid UTF-8 for kUtf8, kRepaired and kConverted; empty otherwise.
struct DecodedText {
  TextStatus status = TextStatus::kUtf8;
  std::string text;
  std::string charset;  ///< the charset converted from (kConverted), else "UTF-8"
  size_t replaced = 0;  ///< invalid byte sequences replaced by U+FFFD (kRepaired)
  int confidence = 0;   ///< ucsdet confidence 0..100 (kConverted); 0 when it was a fallback guess

  /// One-line note for a warning Diagnostic: "not UTF-8: converted from windows-1252 (confidence 42%)",
  /// "invalid UTF-8: 3 byte sequences replaced by U+FFFD". Empty for kUtf8.
  std::string describe() const;
};

/// Turns a file's bytes into UTF-8 text. Valid UTF-8 is kept byte for byte (a leading BOM dropped), so
/// offsets into the result are offsets into the file after the BOM. A UTF-16 BOM is honoured. Text that is
/// not UTF-8 is detected with ICU's CharsetDetector and converted by stream.h's IcuDecoder (ISO-8859-1 with
/// C1 bytes is read as windows-1252, which is what such files are). Never throws.
DecodedText decode_text(std::string_view bytes);

/// Is `bytes` well-formed UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF)?
bool is_valid_utf8(std::string_view bytes);

/// `bytes` with each maximal invalid subsequence replaced by U+FFFD; `replaced` counts them.
std::string repair_utf8(std::string_view bytes, size_t* replaced = nullptr);

/// Does `bytes` start with the gzip magic number (1f 8b)?
bool is_gzip(std::string_view bytes);

/// Decompresses gzip data (several concatenated members are read as one stream, as gzip(1) does), with the
/// inflater the streamed inputs use (stream.h's GunzipSource, here over the buffer).
/// On corrupt or truncated data, or output larger than `max_output` bytes, returns std::nullopt and sets
/// `error` to a one-line reason ("corrupt gzip: invalid block type").
std::optional<std::string> gunzip(std::string_view bytes, std::string& error,
                                  size_t max_output = size_t{4} << 30);

}  // namespace dateline
