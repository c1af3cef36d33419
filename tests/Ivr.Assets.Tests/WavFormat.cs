using System.Buffers.Binary;
using System.Text;

namespace Ivr.Assets.Tests;

/// <summary>A RIFF/WAVE file's format chunk and data length, read by hand.</summary>
internal readonly record struct WavFormat(int AudioFormat, int Channels, int SampleRate, int BitsPerSample, int DataBytes)
{
    public TimeSpan Duration => TimeSpan.FromSeconds(DataBytes / (double)(SampleRate * Channels * BitsPerSample / 8));

    public static WavFormat Read(byte[] file)
    {
        if (Encoding.ASCII.GetString(file, 0, 4) != "RIFF" || Encoding.ASCII.GetString(file, 8, 4) != "WAVE")
        {
            throw new InvalidDataException("not a RIFF/WAVE file");
        }
        int audioFormat = 0, channels = 0, sampleRate = 0, bits = 0, data = -1;
        for (var offset = 12; offset + 8 <= file.Length;)
        {
            var id = Encoding.ASCII.GetString(file, offset, 4);
            var size = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(offset + 4));
            var body = file.AsSpan(offset + 8);
            if (id == "fmt ")
            {
                audioFormat = BinaryPrimitives.ReadInt16LittleEndian(body);
                channels = BinaryPrimitives.ReadInt16LittleEndian(body[2..]);
                sampleRate = BinaryPrimitives.ReadInt32LittleEndian(body[4..]);
                bits = BinaryPrimitives.ReadInt16LittleEndian(body[14..]);
            }
            else if (id == "data")
            {
                data = size;
            }
            offset += 8 + size + (size & 1);
        }
        return data < 0 ? throw new InvalidDataException("no data chunk") : new WavFormat(audioFormat, channels, sampleRate, bits, data);
    }
}
