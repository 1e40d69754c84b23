/** @file
 *  @brief (being written)
 */
