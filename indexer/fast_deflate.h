/** @file
 *  @brief Xapian's deflate calls done by libdeflate (indexer/fast_deflate.cpp), in the programs linking it.
 *
 *  Linking fast_deflate.cpp into a program is the whole interface: its zlib functions take the place of
 *  zlib's for Xapian. This header only lets tests see that they did.
 */
#pragma once

namespace dateline::fast_deflate {

/// How many deflate calls libdeflate answered (whole inputs, in one call) in this process.
unsigned long long whole_buffer_calls();

}  // namespace dateline::fast_deflate
