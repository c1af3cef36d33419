using System.Diagnostics;
using System.Text.RegularExpressions;
using Ivr.CallFlow;
using Ivr.Testing;

namespace Ivr.Assets.Tests;

/// <summary>Every prompt the call flow can play exists, says SPEC §2's words, and is audio Asterisk plays natively.</summary>
public partial class PromptTests
{
    public static IEnumerable<string> PlayableIds() =>
        PromptId.All.Select(p => p.Value).Concat(Enumerable.Range(0, 10).Select(d => $"digits/{d}"));

    [TestCaseSource(nameof(PlayableIds))]
    public void Every_playable_prompt_has_a_manifest_row_and_8kHz_mono_16bit_audio(string id)
    {
        Assert.That(Assets.Manifest(), Does.ContainKey(id));
        var wav = File.ReadAllBytes(Assets.PathOf("prompts", "ja", id + ".wav"));
        var format = WavFormat.Read(wav);

        Assert.That(format, Is.EqualTo(new WavFormat(AudioFormat: 1, Channels: 1, SampleRate: 8000, BitsPerSample: 16, format.DataBytes)));
        Assert.That(format.Duration, Is.GreaterThan(TimeSpan.FromMilliseconds(300)), "a prompt of non-trivial length");
    }

    [Test]
    public void Every_manifest_text_is_the_specs_word_for_word()
    {
        var spec = SpecPrompts();
        var manifest = Assets.Manifest();

        Assert.That(spec.Keys, Is.EquivalentTo(PromptId.All.Select(p => p.Value)), "the spec's table and the call flow name the same prompts");
        foreach (var (id, text) in spec)
        {
            Assert.That(manifest[id].Text, Is.EqualTo(text), id);
        }
    }

    [Test]
    public void Every_reading_is_kana_that_espeak_can_speak()
    {
        foreach (var (id, (_, reading)) in Assets.Manifest())
        {
            Assert.That(reading, Does.Match(@"^[\p{IsHiragana}\p{IsKatakana}ー、。 ]+$"), id);
        }
    }

    [Test]
    public void Regenerating_the_audio_reproduces_the_committed_files_byte_for_byte()
    {
        var output = Directory.CreateTempSubdirectory("prompts-").FullName;
        try
        {
            var run = Process.Start(new ProcessStartInfo("bash", [Assets.PathOf("scripts", "make-prompts.sh")])
            {
                Environment = { ["PROMPTS_OUT"] = output },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            run.StandardOutput.ReadToEnd();
            var error = run.StandardError.ReadToEnd();
            run.WaitForExit();
            Assert.That(run.ExitCode, Is.Zero, error);

            foreach (var id in PlayableIds())
            {
                Assert.That(File.ReadAllBytes(Path.Combine(output, id + ".wav")), Is.EqualTo(File.ReadAllBytes(Assets.PathOf("prompts", "ja", id + ".wav"))), id);
            }
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    // SPEC §2's table: | `temp-password/x` | text |, where a note in ASCII parentheses before or after the text is not spoken.
    private static Dictionary<string, string> SpecPrompts() =>
        SpecRow().Matches(File.ReadAllText(Path.Combine(RepositoryPaths.Shared, "spec", "SPEC.md")))
            .ToDictionary(m => m.Groups["id"].Value, m => Note().Replace(m.Groups["text"].Value, "").Trim());

    [GeneratedRegex(@"^\| `(?<id>temp-password/[a-z-]+)` \| (?<text>.+?) \|$", RegexOptions.Multiline)]
    private static partial Regex SpecRow();

    [GeneratedRegex(@"\([\x20-\x7E]+\)")]
    private static partial Regex Note();
}
