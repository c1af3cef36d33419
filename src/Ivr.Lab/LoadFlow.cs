namespace Ivr.Lab;

/// <summary>
/// A call the load benchmark repeats: who calls and what they press at each input (<c>timeout</c> keys nothing).
/// The same flows as the independent client agiload (<c>../shared/tools/agiload</c>), so the two compare.
/// </summary>
public sealed record LoadFlow(string Name, string Caller, IReadOnlyList<string> Presses)
{
    /// <summary>A caller outside the directory: the refusal prompt, a hang-up; one lookup and one audit row.</summary>
    public static readonly LoadFlow NotContracted = new("not-contracted", "0399999999", []);

    /// <summary>Three bad inputs at the menu: eight commands, no hash, nothing written but the audit row: the protocol path alone.</summary>
    public static readonly LoadFlow ThreeBadInputs = new("three-bad-inputs", "0612345678", ["0", "timeout", "4"]);

    /// <summary>The additional-number unit: three numbers keyed with <c>#</c>, each looked up.</summary>
    public static readonly LoadFlow MenuWalk = new("menu-walk", "0612345678", ["2", "0698765432#", "0698765433#", "0698765432#"]);

    /// <summary>A full line-unit setup: hash and commit included.</summary>
    public static readonly LoadFlow Setup = new("setup", "0612345678", ["1", "12345678", "12345678"]);

    public static IReadOnlyList<LoadFlow> All { get; } = [NotContracted, ThreeBadInputs, MenuWalk, Setup];

    /// <summary>The flow of that name; <c>no-write</c>, the name before agiload's, is three bad inputs.</summary>
    public static LoadFlow? Named(string name) =>
        name == "no-write" ? ThreeBadInputs with { Name = name } : All.FirstOrDefault(flow => flow.Name == name);
}
