using System.Text.Json;
using Ivr.Domain;

namespace Ivr.Domain.Tests;

public sealed class DomainWordsTests
{
    // The words as SPEC §4 and §6 write them: the store's CHECKs, the audit trail and `ivr credentials verify` use these.
    [TestCase(SettingUnit.Line, "line")]
    [TestCase(SettingUnit.Number, "number")]
    [TestCase(SettingUnit.AdminUser, "admin-user")]
    public void A_unit_is_written_as_the_spec_writes_it(SettingUnit unit, string word) => AssertWord(unit, word);

    [TestCase(CallOutcome.Completed, "completed")]
    [TestCase(CallOutcome.TooManyErrors, "too-many-errors")]
    [TestCase(CallOutcome.CallerHungUp, "caller-hung-up")]
    [TestCase(CallOutcome.NotContracted, "not-contracted")]
    [TestCase(CallOutcome.CallerIdRequired, "caller-id-required")]
    [TestCase(CallOutcome.SystemError, "system-error")]
    public void An_outcome_is_written_as_the_spec_writes_it(CallOutcome outcome, string word) => AssertWord(outcome, word);

    [TestCase(LoginResult.TemporaryOk, "temporary-ok")]
    [TestCase(LoginResult.Ok, "ok")]
    [TestCase(LoginResult.Wrong, "wrong")]
    [TestCase(LoginResult.Expired, "expired")]
    [TestCase(LoginResult.Locked, "locked")]
    [TestCase(LoginResult.Unknown, "unknown")]
    public void A_login_result_is_written_as_the_spec_writes_it(LoginResult result, string word) => AssertWord(result, word);

    [TestCase(NumberKind.Main, "main")]
    [TestCase(NumberKind.Additional, "additional")]
    public void A_number_kind_is_written_as_the_directory_csv_writes_it(NumberKind kind, string word) => AssertWord(kind, word);

    [TestCase("Line")]
    [TestCase("admin_user")]
    [TestCase("")]
    [TestCase(null)]
    public void Any_other_text_is_no_word(string? text) =>
        Assert.That(DomainWords.TryParse(text, out SettingUnit _), Is.False);

    [Test]
    public void A_value_outside_the_enum_has_no_word() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ((CallOutcome)99).ToName());

    [Test]
    public void Json_refuses_a_word_of_no_member() =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<CallOutcome>("\"finished\"", Options<CallOutcome>()));

    private static void AssertWord<TEnum>(TEnum value, string word) where TEnum : struct, Enum
    {
        Assert.That(value.ToName(), Is.EqualTo(word));
        Assert.That(DomainWords.TryParse(word, out TEnum parsed) ? parsed : (TEnum?)null, Is.EqualTo(value));
        Assert.That(JsonSerializer.Serialize(value, Options<TEnum>()), Is.EqualTo($"\"{word}\""), "printed JSON");
        Assert.That(JsonSerializer.Deserialize<TEnum>($"\"{word}\"", Options<TEnum>()), Is.EqualTo(value), "read JSON");
    }

    private static JsonSerializerOptions Options<TEnum>() where TEnum : struct, Enum => new() { Converters = { new DomainWordConverter<TEnum>() } };
}
