import ms from "ms";

const inputs: string[] = ["90s", "2h", "1.5 days", "1y"];
for (const input of inputs) {
  console.log(`${input} = ${ms(input)} ms`);
}
console.log(`123456789 ms = ${ms(123456789, { long: true })}`);
