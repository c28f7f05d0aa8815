import { templateCompiler } from '../render.js';
import { KitError, KitHelperError } from './errors.js';

/**
 * The helpers a kit template may call: Handlebars' structural block helpers
 * and the three render.ts registers. `lookup` and `log` are left out on
 * purpose (dynamic property access and console output), and so is every name
 * the kit might hope a future version registers.
 */
export const ALLOWED_HELPERS: ReadonlySet<string> = new Set(['if', 'unless', 'each', 'with', 'eq', 'json', 'join']);

/** Built-in Handlebars helpers that a plain `{{name}}` would call instead of reading the context. */
const BUILTIN_HELPERS = new Set(['if', 'unless', 'each', 'with', 'lookup', 'log', 'helperMissing', 'blockHelperMissing']);

type Node = hbs.AST.Node;

function pathName(node: hbs.AST.Expression): string | undefined {
  return node.type === 'PathExpression' ? (node as hbs.AST.PathExpression).original : undefined;
}

/**
 * Parses a kit template and walks its syntax tree: every helper call, block,
 * sub-expression and partial is checked before the template can ever run.
 * Refused: helpers outside ALLOWED_HELPERS, decorators (`{{* }}`, inline
 * partials), and dynamic partial names (`{{> (expr)}}`). Partials by name are
 * fine: only built-in and kit partials exist on the private engine.
 */
export function checkKitTemplate(source: string, where: string): void {
  let program: hbs.AST.Program;
  try {
    program = templateCompiler().parse(source);
  } catch (error) {
    throw new KitError(`${where} is not a valid Handlebars template: ${(error as Error).message.split('\n')[0]}`);
  }
  const refuse = (node: Node, what: string): never => {
    const line = node.loc?.start.line;
    throw new KitHelperError(`${where}${line ? `:${line}` : ''}: ${what}; kit templates may use only ${[...ALLOWED_HELPERS].join(', ')} and partials by name.`);
  };
  const helperCall = (node: Node, head: hbs.AST.Expression, label: string): void => {
    const name = pathName(head);
    if (name === undefined) return refuse(node, `${label} calls a literal or an expression, not a helper`);
    if (!ALLOWED_HELPERS.has(name)) refuse(node, `${label.replace('%', name)} is not an allowed helper`);
  };

  const visitExpression = (expr: hbs.AST.Expression | undefined): void => {
    if (!expr) return;
    if (expr.type === 'SubExpression') {
      const sub = expr as hbs.AST.SubExpression;
      helperCall(sub, sub.path, '(%)');
      sub.params.forEach(visitExpression);
      sub.hash?.pairs.forEach((pair) => visitExpression(pair.value));
    }
  };
  const visitProgram = (body: hbs.AST.Program | undefined): void => {
    for (const statement of body?.body ?? []) visit(statement);
  };
  const visit = (node: Node): void => {
    switch (node.type) {
      case 'ContentStatement':
      case 'CommentStatement':
        return;
      case 'MustacheStatement': {
        const mustache = node as hbs.AST.MustacheStatement;
        const name = pathName(mustache.path);
        const isCall = mustache.params.length > 0 || mustache.hash !== undefined;
        // `{{name}}` reads the context, unless `name` is a built-in helper (`{{log}}`, `{{lookup}}`).
        if (isCall || (name !== undefined && BUILTIN_HELPERS.has(name))) helperCall(mustache, mustache.path, '{{%}}');
        visitExpression(mustache.path);
        mustache.params.forEach(visitExpression);
        mustache.hash?.pairs.forEach((pair) => visitExpression(pair.value));
        return;
      }
      case 'BlockStatement': {
        const block = node as hbs.AST.BlockStatement;
        helperCall(block, block.path, '{{#%}}');
        block.params.forEach(visitExpression);
        block.hash?.pairs.forEach((pair) => visitExpression(pair.value));
        visitProgram(block.program);
        visitProgram(block.inverse);
        return;
      }
      case 'PartialStatement':
      case 'PartialBlockStatement': {
        const partial = node as hbs.AST.PartialStatement | hbs.AST.PartialBlockStatement;
        if (partial.name.type !== 'PathExpression') refuse(node, 'a partial whose name is computed at render time');
        partial.params.forEach(visitExpression);
        partial.hash?.pairs.forEach((pair) => visitExpression(pair.value));
        if (node.type === 'PartialBlockStatement') visitProgram((node as hbs.AST.PartialBlockStatement).program);
        return;
      }
      case 'Decorator':
      case 'DecoratorBlock':
        return refuse(node, 'decorators (including inline partials) are not allowed');
      default:
        return refuse(node, `unexpected template construct ${node.type}`);
    }
  };
  visitProgram(program);
}
