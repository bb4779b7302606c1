/** Text to use literally inside a RegExp source (units such as /10万, place and national words). */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
