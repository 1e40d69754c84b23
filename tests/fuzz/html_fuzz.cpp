/** @file
 *  @brief libFuzzer target: any bytes as a saved web page give an article or nothing, never a crash; passage
 *  offsets stay ordered and the text valid UTF-8.
 */
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "articles/encoding.h"
#include "articles/html.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  dateline::HtmlContext context;
  // The first byte picks a transport charset and a crawl date, so the mutator reaches those rules too.
  if (!bytes.empty()) {
    static const char* kCharsets[] = {"", "utf-8", "windows-1252", "shift_jis", "bogus", "utf-16"};
    context.transport_charset = kCharsets[static_cast<unsigned char>(bytes[0]) % 6];
    if (bytes[0] & 0x40) context.crawl_date = "2019-11-20";
  }
  dateline::HtmlPage page = dateline::parse_html(bytes, context);
  dateline::Article a = dateline::html_article(page, context, "id", "path", 300);
  for (const auto& p : a.passages) {
    if (p.begin > p.end || p.text.empty() || !dateline::is_valid_utf8(p.text)) __builtin_trap();
  }
  for (const auto* f : {&a.title, &a.author, &a.outlet, &a.date})
    if (*f && !dateline::is_valid_utf8(**f)) __builtin_trap();
  return 0;
}
