using System.Text.Json;
using Ivr.CallFlow;

namespace Ivr.Store.Tests;

public sealed class KebabCaseEnumConverterTests
{
    [Test]
    public void Every_unit_prints_as_its_store_word()
    {
        foreach (var unit in Enum.GetValues<SettingUnit>())
        {
            Assert.That(Print(unit), Is.EqualTo(unit.ToName()));
        }
    }

    [Test]
    public void Every_outcome_prints_as_its_audit_word()
    {
        foreach (var outcome in Enum.GetValues<CallOutcome>())
        {
            Assert.That(Print(outcome), Is.EqualTo(outcome.ToName()));
        }
    }

    [Test]
    public void Every_login_result_prints_as_its_spec_word()
    {
        foreach (var result in Enum.GetValues<LoginResult>())
        {
            Assert.That(Print(result), Is.EqualTo(result.ToName()));
        }
    }

    [Test]
    public void Every_password_change_result_prints_as_its_audit_word()
    {
        foreach (var result in Enum.GetValues<PasswordChangeResult>())
        {
            Assert.That(Print(result), Is.EqualTo(result.ToName()));
        }
    }

    private static string Print<TEnum>(TEnum value) where TEnum : struct, Enum =>
        JsonSerializer.Deserialize<string>(JsonSerializer.Serialize(value, new JsonSerializerOptions { Converters = { new KebabCaseEnumConverter<TEnum>() } }))!;
}
