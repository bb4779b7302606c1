/**
 * The first `max` UTF-16 code units of a text, one fewer when the cut would fall between the two halves of
 * a character outside the BMP (𠀀, 😀): a lone half is not a character, shows as a replacement box and is
 * not valid UTF-8 in the index files.
 */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}
