import * as vscode from 'vscode';
import { JobspecSymbol, jobspecSymbols, SEMANTIC_TOKEN_MODIFIERS, SEMANTIC_TOKEN_TYPES, semanticTokens, Span } from '../core/jobspec/jobspecOutline';
import { JobspecIndex } from '../services/jobspecIndex';

export const NOMAD_LANGUAGE = 'nomad';
export const SEMANTIC_LEGEND = new vscode.SemanticTokensLegend([...SEMANTIC_TOKEN_TYPES], [...SEMANTIC_TOKEN_MODIFIERS]);

const SYMBOL_KINDS: Record<JobspecSymbol['kind'], vscode.SymbolKind> = {
  job: vscode.SymbolKind.Module,
  group: vscode.SymbolKind.Namespace,
  task: vscode.SymbolKind.Function,
  service: vscode.SymbolKind.Interface,
  variable: vscode.SymbolKind.Variable,
};

function range(span: Span): vscode.Range {
  return new vscode.Range(span.startLine, span.startCharacter, span.endLine, span.endCharacter);
}

function toSymbol(symbol: JobspecSymbol): vscode.DocumentSymbol {
  const result = new vscode.DocumentSymbol(symbol.name, symbol.detail, SYMBOL_KINDS[symbol.kind], range(symbol.range), range(symbol.selection));
  result.children = symbol.children.map(toSymbol);
  return result;
}

/** Outline, breadcrumbs and Go to Symbol, and semantic colours, from the jobspec's tree-sitter parse. */
export class JobspecLanguageFeatures implements vscode.DocumentSymbolProvider, vscode.DocumentSemanticTokensProvider {
  constructor(private readonly index: JobspecIndex) {}

  async provideDocumentSymbols(document: vscode.TextDocument): Promise<vscode.DocumentSymbol[]> {
    const syntax = await this.index.syntax(document);
    return syntax ? jobspecSymbols(syntax.tree).map(toSymbol) : [];
  }

  async provideDocumentSemanticTokens(document: vscode.TextDocument): Promise<vscode.SemanticTokens> {
    const builder = new vscode.SemanticTokensBuilder(SEMANTIC_LEGEND);
    const syntax = await this.index.syntax(document);
    for (const token of syntax ? semanticTokens(syntax.tree, syntax.text) : []) {
      builder.push(token.line, token.character, token.length, SEMANTIC_TOKEN_TYPES.indexOf(token.type), token.declaration ? 1 : 0);
    }
    return builder.build();
  }

  register(): vscode.Disposable[] {
    const selector: vscode.DocumentSelector = [{ language: NOMAD_LANGUAGE }];
    return [vscode.languages.registerDocumentSymbolProvider(selector, this, { label: 'Nomad jobspec' }), vscode.languages.registerDocumentSemanticTokensProvider(selector, this, SEMANTIC_LEGEND)];
  }
}
