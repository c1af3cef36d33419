using System.Buffers.Binary;
using System.Text;

namespace Ivr.Assets.Tests;

/// <summary>A RIFF/WAVE file's format chunk and data length, read by hand the way Asterisk's format_wav.c reads them.</summary>
internal readonly record struct WavFormat(int AudioFormat, int Channels, int SampleRate, int ByteRate, int BlockAlign, int BitsPerSample, int DataBytes)
{
    /// <summary>What Asterisk plays from a <c>.wav</c> without transcoding: PCM, mono, 8 kHz, 16-bit.</summary>
    public static WavFormat AsteriskNative(int dataBytes) => new(1, 1, 8000, 16000, 2, 16, dataBytes);

    public TimeSpan Duration => TimeSpan.FromSeconds(DataBytes / (double)ByteRate);

    public static WavFormat Read(byte[] file)
    {
        if (file.Length < 12 || Encoding.ASCII.GetString(file, 0, 4) != "RIFF" || Encoding.ASCII.GetString(file, 8, 4) != "WAVE")
        {
            throw new InvalidDataException("not a RIFF/WAVE file");
        }
        if (BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(4)) != file.Length - 8)
        {
            throw new InvalidDataException("the RIFF length is not the file's");
        }
        WavFormat? format = null;
        for (var offset = 12; offset + 8 <= file.Length;)
        {
            var id = Encoding.ASCII.GetString(file, offset, 4);
            var size = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(offset + 4));
            var body = file.AsSpan(offset + 8);
            if (size < 0 || size > body.Length)
            {
                throw new InvalidDataException($"chunk '{id}' runs past the end of the file");
            }
            if (id == "fmt ")
            {
                format = new WavFormat(
                    BinaryPrimitives.ReadInt16LittleEndian(body), BinaryPrimitives.ReadInt16LittleEndian(body[2..]),
                    BinaryPrimitives.ReadInt32LittleEndian(body[4..]), BinaryPrimitives.ReadInt32LittleEndian(body[8..]),
                    BinaryPrimitives.ReadInt16LittleEndian(body[12..]), BinaryPrimitives.ReadInt16LittleEndian(body[14..]), 0);
            }
            else if (id == "data")
            {
                // Asterisk reads the format before the samples: a data chunk ahead of "fmt " is not playable.
                return format is { } known ? known with { DataBytes = size } : throw new InvalidDataException("data before the format chunk");
            }
            offset += 8 + size + (size & 1);
        }
        throw new InvalidDataException("no data chunk");
    }
}
