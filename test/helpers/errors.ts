/**
 * `expect(fn).toThrow(exactly(message))`: the error's message must be `message`, whole. Jest reads a string
 * given to `toThrow` as a substring (a message with more text would pass); an error object as the whole message.
 */
export function exactly(message: string): Error {
  return new Error(message);
}
