namespace Ivr.Domain;

/// <summary>A number's place in its contract, written <c>main</c> or <c>additional</c>.</summary>
public enum NumberKind
{
    /// <summary>The contract's main number (ご契約電話番号); exactly one per contract.</summary>
    Main,

    /// <summary>Any other number of the contract.</summary>
    Additional,
}
