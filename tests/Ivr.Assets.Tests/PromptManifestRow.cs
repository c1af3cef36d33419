namespace Ivr.Assets.Tests;

/// <summary>One line of <c>prompts/manifest.tsv</c>: a prompt id, its Japanese text and the kana it is synthesised from.</summary>
internal sealed record PromptManifestRow(string Id, string Text, string Reading);
