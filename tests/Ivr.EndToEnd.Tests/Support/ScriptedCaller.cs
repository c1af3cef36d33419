using Ivr.CallFlow;
using Ivr.Domain;

namespace Ivr.EndToEnd.Tests.Support;

/// <summary>A caller who answers each prompt from a script, and may act (move a number, hang up) before answering.</summary>
public sealed class ScriptedCaller(params (PromptId Prompt, string Keys)[] answers) : ICaller
{
    private readonly Queue<(PromptId Prompt, string Keys)> _answers = new(answers);

    public List<string> Heard { get; } = [];

    /// <summary>
    /// When set, the script is a menu of answers by prompt rather than a sequence: whatever the flow asks, it gets
    /// that prompt's answer (the property tests cannot know the path in advance).
    /// </summary>
    public bool Lenient { get; init; }

    /// <summary>Runs just before the caller answers this prompt.</summary>
    public Dictionary<PromptId, Func<Task>> Before { get; } = [];

    public ValueTask PlayAsync(PromptId prompt, CancellationToken cancellationToken)
    {
        Heard.Add(prompt.Value);
        return ValueTask.CompletedTask;
    }

    public ValueTask SayDigitsAsync(string digits, CancellationToken cancellationToken)
    {
        Heard.Add("digits:" + digits);
        return ValueTask.CompletedTask;
    }

    public async ValueTask<CallerInput> AskAsync(PromptId prompt, TimeSpan timeout, int maxDigits, CancellationToken cancellationToken)
    {
        Heard.Add(prompt.Value);
        string keys;
        if (Lenient)
        {
            keys = _answers.First(answer => answer.Prompt == prompt).Keys;
        }
        else
        {
            var (expected, next) = _answers.Dequeue();
            Assert.That(prompt, Is.EqualTo(expected), "the flow asked for something the script did not expect");
            keys = next;
        }
        if (Before.TryGetValue(prompt, out var action))
        {
            await action();
        }
        return new CallerInput(keys.TrimEnd('#'), TimedOut: false);
    }

    public ValueTask HangUpAsync(CancellationToken cancellationToken)
    {
        Heard.Add("hangup");
        return ValueTask.CompletedTask;
    }
}
