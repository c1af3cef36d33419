using System.CommandLine;

namespace Ivr.Cli.Commands;

/// <summary>The LOGIN argument: a phone number in national format, digits only, as the website asks for it.</summary>
internal static class LoginArgument
{
    public static Argument<string> Create()
    {
        var login = new Argument<string>("login") { Description = "The login id: a phone number, digits only (e.g. 0612345678)." };
        login.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (value is not { Length: > 0 and <= 15 } || !value.All(char.IsAsciiDigit))
            {
                result.AddError($"LOGIN '{value}' must be a phone number, digits only");
            }
        });
        return login;
    }
}
