/**
 * A safe arithmetic calculator for the built-in `calculator` tool.
 *
 * The expression is tokenized, parsed into a small syntax tree by recursive descent,
 * and then evaluated. Nothing is ever handed to `eval` or `Function`.
 *
 * Grammar, loosest binding first:
 *
 *     expression := term (("+" | "-") term)*
 *     term       := unary (("*" | "/" | "%") unary)*
 *     unary      := ("+" | "-") unary | power
 *     power      := primary (("^" | "**") unary)?        right-associative
 *     primary    := number | constant | function "(" arguments ")" | "(" expression ")"
 *
 * So `-2^2` is `-(2^2) = -4`, `2^3^2` is `2^(3^2) = 512` and `2^-1` is `0.5`.
 * Positions in error messages are 1-based character positions in the original expression.
 */

/** The longest expression, in characters, that the calculator accepts. */
export const MAX_EXPRESSION_LENGTH = 1000;

/** The deepest nesting (parentheses, function calls, unary signs, exponents) the calculator accepts. */
export const MAX_NESTING_DEPTH = 100;

/** An error in a calculator expression; its message is meant to be shown to the user or the model. */
export class CalculatorError extends Error {
	override name = 'CalculatorError';
}

type Operator = '+' | '-' | '*' | '/' | '%' | '^' | '(' | ')' | ',';

type Token =
	| { kind: 'number'; value: number; text: string; position: number }
	| { kind: 'name'; text: string; position: number }
	| { kind: 'operator'; operator: Operator; text: string; position: number }
	| { kind: 'end'; position: number };

type BinaryOperator = '+' | '-' | '*' | '/' | '%' | '^';

type Node =
	| { kind: 'number'; value: number }
	| { kind: 'negate'; operand: Node }
	| { kind: 'binary'; operator: BinaryOperator; left: Node; right: Node }
	| { kind: 'call'; name: FunctionName; args: Node[]; position: number };

const CONSTANTS = new Map<string, number>([
	['pi', Math.PI],
	['e', Math.E]
]);

/** Each function's arity (fewest and most arguments) and implementation. */
const FUNCTIONS = {
	sqrt: { min: 1, max: 1, fn: (x: number) => Math.sqrt(x) },
	abs: { min: 1, max: 1, fn: (x: number) => Math.abs(x) },
	round: { min: 1, max: 2, fn: roundTo },
	floor: { min: 1, max: 1, fn: (x: number) => Math.floor(x) },
	ceil: { min: 1, max: 1, fn: (x: number) => Math.ceil(x) },
	min: { min: 1, max: Infinity, fn: (...xs: number[]) => Math.min(...xs) },
	max: { min: 1, max: Infinity, fn: (...xs: number[]) => Math.max(...xs) },
	sin: { min: 1, max: 1, fn: (x: number) => Math.sin(x) },
	cos: { min: 1, max: 1, fn: (x: number) => Math.cos(x) },
	tan: { min: 1, max: 1, fn: (x: number) => Math.tan(x) },
	log: { min: 1, max: 1, fn: (x: number) => Math.log10(x) },
	ln: { min: 1, max: 1, fn: (x: number) => Math.log(x) },
	exp: { min: 1, max: 1, fn: (x: number) => Math.exp(x) }
} satisfies Record<string, { min: number; max: number; fn: (...args: number[]) => number }>;

type FunctionName = keyof typeof FUNCTIONS;

/** Operator characters, including the typographic aliases `×`, `÷` and `−` (U+2212). */
const OPERATOR_CHARACTERS: Record<string, Operator> = {
	'+': '+',
	'-': '-',
	'−': '-',
	'*': '*',
	'×': '*',
	'/': '/',
	'÷': '/',
	'%': '%',
	'^': '^',
	'(': '(',
	')': ')',
	',': ','
};

const NUMBER_PATTERN = /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
const NAME_PATTERN = /[A-Za-z_][A-Za-z0-9_]*/y;
const WHITESPACE_PATTERN = /\s+/y;

/** Multiplies by 10^places exactly in decimal notation, so 1.005 shifted by 2 is 100.5, not 100.49999. */
function shiftDecimal(x: number, places: number): number {
	const [mantissa, exponent = '0'] = String(x).split('e');
	return Number(`${mantissa}e${Number(exponent) + places}`);
}

/**
 * `round(x)` rounds to an integer; `round(x, digits)` keeps 0–15 decimal places.
 * Halves round away from zero, so round(2.5) = 3 and round(-2.5) = -3.
 */
function roundTo(x: number, digits = 0): number {
	if (!Number.isInteger(digits) || digits < 0 || digits > 15) {
		throw new CalculatorError('round() takes a whole number of digits from 0 to 15');
	}
	const rounded = Math.round(shiftDecimal(Math.abs(x), digits));
	return Math.sign(x) * shiftDecimal(rounded, -digits);
}

/** Matches a sticky pattern at `index`, returning the matched text or undefined. */
function matchAt(pattern: RegExp, text: string, index: number): string | undefined {
	pattern.lastIndex = index;
	return pattern.exec(text)?.[0];
}

/** Splits an expression into tokens, ending with an `end` token. */
function tokenize(expression: string): Token[] {
	const tokens: Token[] = [];
	let index = 0;
	while (index < expression.length) {
		const position = index + 1;
		const space = matchAt(WHITESPACE_PATTERN, expression, index);
		if (space) {
			index += space.length;
			continue;
		}
		if (expression.startsWith('**', index)) {
			tokens.push({ kind: 'operator', operator: '^', text: '**', position });
			index += 2;
			continue;
		}
		const number = matchAt(NUMBER_PATTERN, expression, index);
		if (number) {
			tokens.push({ kind: 'number', value: Number(number), text: number, position });
			index += number.length;
			continue;
		}
		const name = matchAt(NAME_PATTERN, expression, index);
		if (name) {
			tokens.push({ kind: 'name', text: name, position });
			index += name.length;
			continue;
		}
		const character = expression.charAt(index);
		const operator = OPERATOR_CHARACTERS[character];
		if (!operator) {
			throw new CalculatorError(`Unexpected character "${character}" at position ${position}`);
		}
		tokens.push({ kind: 'operator', operator, text: character, position });
		index += 1;
	}
	tokens.push({ kind: 'end', position: expression.length + 1 });
	return tokens;
}

/** The error for a token that cannot appear where it was found. */
function unexpected(token: Token): CalculatorError {
	if (token.kind === 'end') {
		return new CalculatorError(`Unexpected end of expression at position ${token.position}`);
	}
	return new CalculatorError(`Unexpected "${token.text}" at position ${token.position}`);
}

/** True if `name` is a known function (case-insensitive lookup already applied). */
function isFunctionName(name: string): name is FunctionName {
	return Object.hasOwn(FUNCTIONS, name);
}

/** A recursive-descent parser over a token list, producing a syntax tree. */
class Parser {
	private index = 0;
	private depth = 0;
	private readonly end: Token;

	/** `tokens` must end with an `end` token, as `tokenize` returns them. */
	constructor(private readonly tokens: Token[]) {
		this.end = tokens[tokens.length - 1] ?? { kind: 'end', position: 1 };
	}

	/** Parses the whole token list as one expression. */
	parse(): Node {
		const node = this.expression();
		const next = this.peek();
		if (next.kind !== 'end') throw unexpected(next);
		return node;
	}

	private peek(): Token {
		return this.tokens[this.index] ?? this.end;
	}

	private advance(): Token {
		const token = this.peek();
		if (token.kind !== 'end') this.index += 1;
		return token;
	}

	/** Consumes the next token if it is one of `operators`, returning that operator. */
	private acceptOperator<T extends Operator>(...operators: T[]): T | undefined {
		const token = this.peek();
		if (token.kind !== 'operator') return undefined;
		const match = operators.find((operator) => operator === token.operator);
		if (match !== undefined) this.index += 1;
		return match;
	}

	/** Runs `parse` one nesting level deeper, enforcing the depth cap; `position` opens the level. */
	private nested<T>(position: number, parse: () => T): T {
		if (this.depth >= MAX_NESTING_DEPTH) {
			throw new CalculatorError(`The expression is nested too deeply (more than ${MAX_NESTING_DEPTH} levels) at position ${position}`);
		}
		this.depth += 1;
		try {
			return parse();
		} finally {
			this.depth -= 1;
		}
	}

	private expression(): Node {
		let left = this.term();
		for (let op = this.acceptOperator('+', '-'); op; op = this.acceptOperator('+', '-')) {
			left = { kind: 'binary', operator: op, left, right: this.term() };
		}
		return left;
	}

	private term(): Node {
		let left = this.unary();
		for (let op = this.acceptOperator('*', '/', '%'); op; op = this.acceptOperator('*', '/', '%')) {
			left = { kind: 'binary', operator: op, left, right: this.unary() };
		}
		return left;
	}

	private unary(): Node {
		const position = this.peek().position;
		const sign = this.acceptOperator('+', '-');
		if (!sign) return this.power();
		const operand = this.nested(position, () => this.unary());
		return sign === '-' ? { kind: 'negate', operand } : operand;
	}

	private power(): Node {
		const base = this.primary();
		const position = this.peek().position;
		if (!this.acceptOperator('^')) return base;
		// The exponent may carry its own sign (2^-1) and chains to the right (2^3^2).
		const exponent = this.nested(position, () => this.unary());
		return { kind: 'binary', operator: '^', left: base, right: exponent };
	}

	private primary(): Node {
		const token = this.advance();
		if (token.kind === 'number') return { kind: 'number', value: token.value };
		if (token.kind === 'name') return this.name(token);
		if (token.kind === 'operator' && token.operator === '(') {
			return this.nested(token.position, () => this.group(token.position));
		}
		throw unexpected(token);
	}

	/** The inside of a parenthesized group, after its "(". */
	private group(openedAt: number): Node {
		const inner = this.expression();
		this.expectClose(openedAt);
		return inner;
	}

	private expectClose(openedAt: number): void {
		if (this.acceptOperator(')')) return;
		const next = this.peek();
		if (next.kind === 'end') {
			throw new CalculatorError(`Missing ")" for the "(" at position ${openedAt}`);
		}
		throw unexpected(next);
	}

	/** A constant, or a function call when the name is a function. */
	private name(token: Extract<Token, { kind: 'name' }>): Node {
		const key = token.text.toLowerCase();
		const constant = CONSTANTS.get(key);
		if (constant !== undefined) return { kind: 'number', value: constant };
		if (!isFunctionName(key)) {
			throw new CalculatorError(`Unknown name "${token.text}" at position ${token.position}`);
		}
		const open = this.peek();
		if (!this.acceptOperator('(')) {
			throw new CalculatorError(`Expected "(" after the function "${token.text}" at position ${open.position}`);
		}
		const args = this.nested(open.position, () => this.arguments(open.position));
		checkArity(key, token, args.length);
		return { kind: 'call', name: key, args, position: token.position };
	}

	/** A comma-separated argument list, after its "(". */
	private arguments(openedAt: number): Node[] {
		const args: Node[] = [];
		if (this.acceptOperator(')')) return args;
		do {
			args.push(this.expression());
		} while (this.acceptOperator(','));
		this.expectClose(openedAt);
		return args;
	}
}

/** Throws if a function was called with the wrong number of arguments. */
function checkArity(name: FunctionName, token: { text: string; position: number }, count: number) {
	const { min, max } = FUNCTIONS[name];
	if (count >= min && count <= max) return;
	const expected =
		max === Infinity
			? `at least ${min} argument${min === 1 ? '' : 's'}`
			: min === max
				? `${min} argument${min === 1 ? '' : 's'}`
				: `${min} to ${max} arguments`;
	throw new CalculatorError(`${token.text}() takes ${expected} but got ${count}, at position ${token.position}`);
}

/** Throws unless an intermediate or final value is finite. */
function finite(value: number): number {
	if (!Number.isFinite(value)) throw new CalculatorError('The result is not a finite number');
	return value;
}

/** Applies a binary operator, rejecting division (and remainder) by zero. */
function applyBinary(operator: BinaryOperator, left: number, right: number): number {
	switch (operator) {
		case '+':
			return left + right;
		case '-':
			return left - right;
		case '*':
			return left * right;
		case '/':
			if (right === 0) throw new CalculatorError('Division by zero');
			return left / right;
		case '%':
			if (right === 0) throw new CalculatorError('Division by zero');
			return left % right;
		case '^':
			return left ** right;
	}
}

/** Evaluates a syntax tree; every intermediate value must be finite. */
function evaluate(node: Node): number {
	switch (node.kind) {
		case 'number':
			return finite(node.value);
		case 'negate':
			return -evaluate(node.operand);
		case 'binary':
			return finite(applyBinary(node.operator, evaluate(node.left), evaluate(node.right)));
		case 'call': {
			const fn: (...args: number[]) => number = FUNCTIONS[node.name].fn;
			return finite(fn(...node.args.map(evaluate)));
		}
	}
}

/**
 * Evaluates an arithmetic expression such as `2 * (3 + 4) ^ 2 / sqrt(16)`.
 * Supports numbers (`3`, `3.5`, `.5`, `1e3`), `+ - * / % ^` (`**` = `^`, `×` = `*`, `÷` = `/`),
 * unary signs, parentheses, `pi`, `e`, and the functions sqrt, abs, round (optionally with a
 * number of decimal places), floor, ceil, min, max, sin, cos, tan (radians), log (base 10),
 * ln and exp. `%` is the remainder with the sign of the dividend.
 * @throws {CalculatorError} for any invalid expression or a non-finite result.
 */
export function evaluateExpression(expression: string): number {
	if (typeof expression !== 'string') throw new CalculatorError('The expression must be a string');
	if (expression.length > MAX_EXPRESSION_LENGTH) {
		throw new CalculatorError(`The expression is too long (at most ${MAX_EXPRESSION_LENGTH} characters)`);
	}
	if (expression.trim() === '') throw new CalculatorError('The expression is empty');
	const result = evaluate(new Parser(tokenize(expression)).parse());
	// Normalize -0 to 0 so results read and compare naturally.
	return result === 0 ? 0 : result;
}

/** The calculator tool's entry point: evaluates `input.expression` and echoes it with the result. */
export function calculate(input: { expression: string }): { expression: string; result: number } {
	return { expression: input.expression, result: evaluateExpression(input.expression) };
}
