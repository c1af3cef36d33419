using System.Diagnostics;
using System.Text.RegularExpressions;
using Ivr.CallFlow;
using Ivr.Domain;
using Ivr.Testing;

namespace Ivr.Assets.Tests;

/// <summary>Every prompt the call flow can play exists, says SPEC §2's words, and is audio Asterisk plays natively.</summary>
public partial class PromptTests
{
    /// <summary>The prompt ids of the call flow, then the files <c>SAY DIGITS</c> plays in language ja.</summary>
    public static IEnumerable<string> PlayableIds() =>
        PromptId.All.Select(p => p.Value).Concat(Enumerable.Range(0, 10).Select(d => $"digits/{d}"));

    [Test]
    public void The_manifest_has_its_header_and_exactly_one_row_per_playable_prompt()
    {
        var manifest = PromptManifest.Read();

        Assert.That(manifest.Header, Is.EqualTo("id\ttext\treading"));
        Assert.That(manifest.Rows.Select(row => row.Id), Is.EquivalentTo(PlayableIds()).And.Unique);
    }

    [TestCaseSource(nameof(PlayableIds))]
    public void Every_playable_prompt_is_8kHz_mono_16bit_pcm_audio_of_real_speech(string id)
    {
        var format = WavFormat.Read(File.ReadAllBytes(Assets.PathOf("prompts", "ja", id + ".wav")));

        Assert.That(format, Is.EqualTo(WavFormat.AsteriskNative(format.DataBytes)));
        // The shortest word, a single digit such as ご, lasts about 0.4 s with its pause.
        Assert.That(format.Duration, Is.GreaterThan(TimeSpan.FromMilliseconds(300)), "a prompt of non-trivial length");
    }

    [Test]
    public void Every_manifest_text_is_the_specs_word_for_word()
    {
        var spec = SpecPrompts();
        var manifest = PromptManifest.Read();

        Assert.That(spec.Keys, Is.EquivalentTo(PromptId.All.Select(p => p.Value)), "the spec's table and the call flow name the same prompts");
        foreach (var (id, text) in spec)
        {
            Assert.That(manifest.Row(id).Text, Is.EqualTo(text), id);
        }
    }

    [Test]
    public void Each_digit_row_is_the_digit_it_reads()
    {
        var manifest = PromptManifest.Read();

        for (var digit = 0; digit <= 9; digit++)
        {
            Assert.That(manifest.Row($"digits/{digit}").Text, Is.EqualTo(digit.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    [Test]
    public void Every_reading_is_kana_that_espeak_can_speak()
    {
        foreach (var row in PromptManifest.Read().Rows)
        {
            Assert.That(row.Reading, Does.Match(@"^[\p{IsHiragana}\p{IsKatakana}ー、。]+$"), row.Id);
        }
    }

    // espeak-ng and sox are deterministic for a given version (1.51 and 14.4.2 made the committed files), and the
    // script takes about a second, so the test runs it rather than trusting a recorded checksum.
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
            var error = run.StandardError.ReadToEndAsync();
            run.StandardOutput.ReadToEnd();
            run.WaitForExit();
            Assert.That(run.ExitCode, Is.Zero, error.Result);

            foreach (var id in PlayableIds())
            {
                Assert.That(File.ReadAllBytes(Path.Combine(output, id + ".wav")), Is.EqualTo(File.ReadAllBytes(Assets.PathOf("prompts", "ja", id + ".wav"))),
                    $"{id}: run ./scripts/make-prompts.sh and commit prompts/ja (a different espeak-ng version speaks differently)");
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
