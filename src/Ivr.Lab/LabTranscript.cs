using Ivr.Domain;

namespace Ivr.Lab;

/// <summary>Writes a simulated call as an operator reads it: each prompt with its Japanese text, each press, the ending.</summary>
public static class LabTranscript
{
    public static void Write(TextWriter output, LabCallSetup setup, LabCallRecord call, PromptCatalog prompts)
    {
        output.WriteLine($"call {setup.CallId} from {setup.CallerId} (presentation {setup.CallingPresentation})");
        for (var i = 0; i < call.Heard.Count; i++)
        {
            foreach (var heard in call.Heard[i])
            {
                output.WriteLine($"  ♪ {heard,-42} {prompts.TextOf(heard)}");
            }
            if (i < call.Presses.Count)
            {
                output.WriteLine($"  ☎ {Shown(call.Presses[i], call.Heard[i])}");
            }
        }
        foreach (var problem in call.Problems)
        {
            output.WriteLine($"  ! {problem}");
        }
        output.WriteLine($"  ■ {Scenarios.ScenarioRunner.EndName(call.End)}");
    }

    // A transcript is read over shoulders and pasted into tickets: a press answering a password prompt is masked.
    private static string Shown(string press, IReadOnlyList<string> heardBefore)
    {
        var prompt = heardBefore.Count > 0 ? heardBefore[^1] : "";
        var isPassword = prompt == PromptId.EnterPassword.Value || prompt == PromptId.EnterPasswordRegister.Value || prompt == PromptId.ConfirmPassword.Value;
        return press is "timeout" or "hangup" ? press
            : isPassword ? $"press {new string('•', press.Length)}"
            : $"press {press}";
    }
}
